#version 450
// out[indices[i]] = values[i]; indices are distinct and in range (checked on the host), so no two
// invocations write one element. std430: values float32[n], indices int32[n], out float32[size].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Values { float values[]; };
layout(std430, binding = 1) readonly buffer Indices { uint indices[]; };
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint n; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i < p.n) {
        outv[indices[i]] = values[i];
    }
}
