#version 450
// Histogram of float32 values into `bins` equal-width bins over [lo, hi]: bin = int((v - lo) * scale),
// scale = bins / (hi - lo) computed by the host in float32, v == hi (or rounding up to bins) goes to the
// last bin, values outside [lo, hi] and NaN are skipped. `precise` keeps the arithmetic equal to Java's.
// Per-workgroup counts in shared memory (bins <= 4096), else straight to global atomics.
// std430: values float32[n], counts int32[bins] (zeroed by the host).
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ITEMS = 8;

layout(std430, binding = 0) readonly buffer Values { float values[]; };
layout(std430, binding = 1) buffer Counts { uint counts[]; };
layout(push_constant) uniform Push { uint n; uint bins; float lo; float hi; float scale; uint groups; } p;

const uint SHARED_BINS = 4096;
shared uint local_counts[SHARED_BINS];

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (group >= p.groups) {
        return;
    }
    uint lid = gl_LocalInvocationID.x;
    uint wg = gl_WorkGroupSize.x;
    bool useShared = p.bins <= SHARED_BINS;
    if (useShared) {
        for (uint b = lid; b < p.bins; b += wg) {
            local_counts[b] = 0;
        }
    }
    barrier();
    uint base = group * wg * ITEMS + lid;
    for (uint it = 0; it < ITEMS; it++) {
        uint i = base + it * wg;
        if (i < p.n) {
            float v = values[i];
            if (v >= p.lo && v <= p.hi) {
                precise float t = (v - p.lo) * p.scale;
                uint bin = min(uint(t), p.bins - 1);
                if (useShared) {
                    atomicAdd(local_counts[bin], 1u);
                } else {
                    atomicAdd(counts[bin], 1u);
                }
            }
        }
    }
    barrier();
    if (useShared) {
        for (uint b = lid; b < p.bins; b += wg) {
            uint c = local_counts[b];
            if (c != 0) {
                atomicAdd(counts[b], c);
            }
        }
    }
}
