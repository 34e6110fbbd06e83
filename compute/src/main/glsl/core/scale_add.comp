#version 450
// saxpy: y[i] = a * x[i] + y[i], one element per invocation over a 2-D folded grid (Grid.linear).
// std430: x, y float32[n]. `precise` forbids fusing into an FMA, so results match Java bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; float a; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i < p.n) {
        precise float r = p.a * x[i] + y[i];
        y[i] = r;
    }
}
