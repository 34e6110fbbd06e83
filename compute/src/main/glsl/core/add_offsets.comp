#version 450
// Second half of the block scan: data[i] += offsets[block of i], blocks of WG * ITEMS values.
// std430: data int32[n], offsets int32[groups] (the exclusive scan of the block totals).
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ITEMS = 8;

layout(std430, binding = 0) buffer Data { uint data[]; };
layout(std430, binding = 1) readonly buffer Offsets { uint offsets[]; };
layout(push_constant) uniform Push { uint n; uint groups; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (group >= p.groups) {
        return;
    }
    uint base = (group * gl_WorkGroupSize.x + gl_LocalInvocationID.x) * ITEMS;
    uint off = offsets[group];
    for (uint it = 0; it < ITEMS; it++) {
        uint i = base + it;
        if (i < p.n) {
            data[i] += off;
        }
    }
}
