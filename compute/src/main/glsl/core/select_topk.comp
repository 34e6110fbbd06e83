#version 450
// One top-k pass: each workgroup bitonic-sorts a block of WG * ITEMS candidates in shared memory and
// writes its best k, ranked by (key descending, index ascending), to out[group * k ...].
// FIRST = 1 reads float values (candidate i = (sortKey(values[i]), i)); later passes read candidate
// pairs. sortKey maps float bits to a uint order equal to Float.compare's for non-NaN values.
// Missing candidates are (0, 0xFFFFFFFF), which rank below every real one.
// std430: values float32[n] or candidates uvec2[n]; out uvec2[groups * k]. Needs k <= WG * ITEMS / 2.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ITEMS = 4;
layout(constant_id = 2) const uint FIRST = 1;

layout(std430, binding = 0) readonly buffer Values { float values[]; };
layout(std430, binding = 1) readonly buffer Candidates { uvec2 candidates[]; };
layout(std430, binding = 2) writeonly buffer Out { uvec2 outv[]; };
layout(push_constant) uniform Push { uint n; uint k; uint groups; } p;

const uint S = gl_WorkGroupSize.x * ITEMS;
shared uint keys[S];
shared uint ids[S];

uint sortKey(float v) {
    uint u = floatBitsToUint(v);
    return (u & 0x80000000u) != 0 ? ~u : (u | 0x80000000u);
}

bool ranksAbove(uint a, uint b) {
    return keys[a] > keys[b] || (keys[a] == keys[b] && ids[a] < ids[b]);
}

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (group >= p.groups) {
        return;
    }
    uint lid = gl_LocalInvocationID.x;
    uint wg = gl_WorkGroupSize.x;
    for (uint t = lid; t < S; t += wg) {
        uint i = group * S + t;
        if (i < p.n) {
            if (FIRST != 0) {
                keys[t] = sortKey(values[i]);
                ids[t] = i;
            } else {
                uvec2 c = candidates[i];
                keys[t] = c.x;
                ids[t] = c.y;
            }
        } else {
            keys[t] = 0;
            ids[t] = 0xFFFFFFFFu;
        }
    }
    barrier();
    for (uint size = 2; size <= S; size <<= 1) {
        for (uint stride = size >> 1; stride > 0; stride >>= 1) {
            for (uint t = lid; t < S / 2; t += wg) {
                uint i = 2 * t - (t & (stride - 1));
                uint j = i + stride;
                bool descending = (i & size) == 0;
                if (descending ? ranksAbove(j, i) : ranksAbove(i, j)) {
                    uint tk = keys[i];
                    keys[i] = keys[j];
                    keys[j] = tk;
                    uint ti = ids[i];
                    ids[i] = ids[j];
                    ids[j] = ti;
                }
            }
            barrier();
        }
    }
    for (uint t = lid; t < p.k; t += wg) {
        outv[group * p.k + t] = uvec2(keys[t], ids[t]);
    }
}
