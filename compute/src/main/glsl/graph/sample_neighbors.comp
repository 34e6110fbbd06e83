#version 450
// Uniform neighbour sampling, one invocation per destination; the GPU twin of
// CpuSamplingKernels.sampleHop. Draws come from the counter-based hash of CounterRng (lowbias32 on
// (seed, node, slot)), so every sampled source equals the CPU's, position for position.
// Without replacement and degree > fanout: Floyd's algorithm over row positions (rows hold distinct ids,
// so an id check is a position check); with replacement: `fanout` draws; fanout < 0 or degree <= fanout:
// the whole row. Loop trips per invocation: at most fanout^2 (membership) or the degree (copies).
// std430: rowStart int32[N+1], nbr int32[E], dst int32[nd], outOff int32[nd+1] (exclusive prefix sum of
// the per-destination counts, from the host), outSrc int32[outOff[nd]].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer RowStart { int rowStart[]; };
layout(std430, binding = 1) readonly buffer Neighbours { int nbr[]; };
layout(std430, binding = 2) readonly buffer Dst { int dst[]; };
layout(std430, binding = 3) readonly buffer OutOff { int outOff[]; };
layout(std430, binding = 4) buffer OutSrc { int outSrc[]; };
layout(push_constant) uniform Push { uint nd; int fanout; uint replace; uint seed; } p;

uint mix32(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

uint draw(uint seed, uint node, uint k) {
    return mix32(seed ^ mix32(node ^ mix32(k * 0x9E3779B9u + 0x632BE5ABu)));
}

uint below(uint bits, uint bound) {
    uint hi;
    uint lo;
    umulExtended(bits, bound, hi, lo);
    return hi;
}

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.nd) {
        return;
    }
    int v = dst[i];
    int start = rowStart[v];
    int deg = rowStart[v + 1] - start;
    int o = outOff[i];
    int count = outOff[i + 1] - o;
    if (count == 0) {
        return;
    }
    if (p.fanout < 0 || (p.replace == 0u && deg <= p.fanout)) {
        for (int k = 0; k < deg; k++) {
            outSrc[o + k] = nbr[start + k];
        }
    } else if (p.replace != 0u) {
        for (int k = 0; k < count; k++) {
            outSrc[o + k] = nbr[start + int(below(draw(p.seed, uint(v), uint(k)), uint(deg)))];
        }
    } else {
        int filled = 0;
        for (int j = deg - count; j < deg; j++) {
            int t = int(below(draw(p.seed, uint(v), uint(j)), uint(j + 1)));
            int id = nbr[start + t];
            for (int s = 0; s < filled; s++) {
                if (outSrc[o + s] == id) {
                    id = nbr[start + j];
                    break;
                }
            }
            outSrc[o + filled] = id;
            filled++;
        }
    }
}
