#version 450
// Partial sums: group g adds elements [g * WG * ITEMS, (g + 1) * WG * ITEMS) of x into partial[g]
// (ITEMS strided loads per invocation, then a shared-memory tree). WG must be a power of two.
// std430: x float32[n], partial float32[groups].
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ITEMS = 8;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Push { uint n; uint groups; } p;

shared float s[gl_WorkGroupSize.x];

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (group >= p.groups) {
        return;   // whole workgroup: no barrier is skipped by part of it
    }
    uint lid = gl_LocalInvocationID.x;
    uint wg = gl_WorkGroupSize.x;
    uint base = group * wg * ITEMS + lid;
    float sum = 0.0;
    for (uint it = 0; it < ITEMS; it++) {
        uint i = base + it * wg;
        if (i < p.n) {
            sum += x[i];
        }
    }
    s[lid] = sum;
    barrier();
    for (uint stride = wg / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            s[lid] += s[lid + stride];
        }
        barrier();
    }
    if (lid == 0) {
        partial[group] = s[0];
    }
}
