#version 450
// Stream compaction, last step: out[pos[i]] = values[i] where flags[i] != 0; pos is the exclusive scan
// of (flags != 0), so kept values land in input order. std430: values, flags, pos int32[n]; out int32[count].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Values { uint values[]; };
layout(std430, binding = 1) readonly buffer Flags { uint flags[]; };
layout(std430, binding = 2) readonly buffer Pos { uint pos[]; };
layout(std430, binding = 3) writeonly buffer Out { uint outv[]; };
layout(push_constant) uniform Push { uint n; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i < p.n && flags[i] != 0) {
        outv[pos[i]] = values[i];
    }
}
