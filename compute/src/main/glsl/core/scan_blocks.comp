#version 450
// Exclusive scan within blocks of WG * ITEMS int32 values (wrap-around sums), in place; block totals go
// to sums[group]. Invocation t owns ITEMS consecutive values; invocation totals are scanned in shared
// memory (Hillis-Steele). NORMALIZE = 1 scans (value != 0 ? 1 : 0) instead, for stream compaction.
// std430: data int32[n], sums int32[groups].
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ITEMS = 8;
layout(constant_id = 2) const uint NORMALIZE = 0;

layout(std430, binding = 0) buffer Data { uint data[]; };
layout(std430, binding = 1) writeonly buffer Sums { uint sums[]; };
layout(push_constant) uniform Push { uint n; uint groups; } p;

shared uint s[gl_WorkGroupSize.x];

uint load(uint i) {
    if (i >= p.n) {
        return 0;
    }
    uint v = data[i];
    return NORMALIZE != 0 ? (v != 0 ? 1u : 0u) : v;
}

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (group >= p.groups) {
        return;
    }
    uint lid = gl_LocalInvocationID.x;
    uint wg = gl_WorkGroupSize.x;
    uint base = (group * wg + lid) * ITEMS;
    uint local = 0;
    for (uint it = 0; it < ITEMS; it++) {
        local += load(base + it);
    }
    s[lid] = local;
    barrier();
    for (uint offset = 1; offset < wg; offset <<= 1) {
        uint t = lid >= offset ? s[lid - offset] : 0;
        barrier();
        s[lid] += t;
        barrier();
    }
    uint prefix = s[lid] - local;
    for (uint it = 0; it < ITEMS; it++) {
        uint i = base + it;
        if (i < p.n) {
            uint v = load(i);
            data[i] = prefix;
            prefix += v;
        }
    }
    if (lid == wg - 1) {
        sums[group] = s[lid];
    }
}
