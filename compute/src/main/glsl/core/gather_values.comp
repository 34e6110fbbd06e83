#version 450
// out[i] = source[indices[i]]; indices were bounds-checked on the host.
// std430: source float32[size], indices int32[n], out float32[n].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Source { float source[]; };
layout(std430, binding = 1) readonly buffer Indices { uint indices[]; };
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint n; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i < p.n) {
        outv[i] = source[indices[i]];
    }
}
