#version 450
// The Low-bit Module's quantizer, one invocation per row (CPU twin: CpuLowBitKernels.quantize):
//   lo = min_j x_j, range = max_j x_j - lo, L = 2^bits - 1
//   u_j = (draw(seed, node, j) >> 8) * 2^-24             (CounterRng's lowbias32 hash, bit-identical)
//   s_j = (x_j - lo) * L + u_j * range                   (`precise`: each op rounded once, no fma)
//   q_j = largest k in [0, L] with k * range <= s_j      (a division estimate corrected by products, so
//                                                          the device's division accuracy never decides)
// Codes are packed little-end first, bits * j within the row's words; each invocation writes all of its
// row's words (constant rows: zeros), so the output needs no clearing. lo and range travel as bfloat16
// (round half to even on the dropped 16 bits) when p.bf16 != 0.
// std430: x float32[rows * d], nodes int32[rows], lo float32[rows], range float32[rows],
// words uint32[rows * wpr].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Nodes { int nodes[]; };
layout(std430, binding = 2) writeonly buffer Lo { float loOut[]; };
layout(std430, binding = 3) writeonly buffer Range { float rangeOut[]; };
layout(std430, binding = 4) writeonly buffer Words { uint words[]; };
layout(push_constant) uniform Push { uint rows; uint d; uint bits; uint seed; uint bf16; uint wpr; } p;

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

float bf16(float f) {
    uint b = floatBitsToUint(f);
    b += 0x7FFFu + ((b >> 16) & 1u);
    return uintBitsToFloat(b & 0xFFFF0000u);
}

void main() {
    uint r = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x
            + gl_LocalInvocationID.x;
    if (r >= p.rows) {
        return;
    }
    uint o = r * p.d;
    if (p.d == 0u) {
        loOut[r] = 0.0;
        rangeOut[r] = 0.0;
        return;
    }
    float lo = x[o];
    float hi = x[o];
    for (uint j = 1u; j < p.d; j++) {
        lo = min(lo, x[o + j]);
        hi = max(hi, x[o + j]);
    }
    precise float range = hi - lo;
    loOut[r] = p.bf16 != 0u ? bf16(lo) : lo;
    rangeOut[r] = p.bf16 != 0u ? bf16(range) : range;
    int levels = (1 << p.bits) - 1;
    float levelsF = float(levels);
    uint node = uint(nodes[r]);
    uint word = 0u;
    uint w = r * p.wpr;
    for (uint j = 0u; j < p.d; j++) {
        int k = 0;
        if (range > 0.0) {
            float u = float(draw(p.seed, node, j) >> 8) * (1.0 / 16777216.0);
            precise float t = (x[o + j] - lo) * levelsF;
            precise float ur = u * range;
            precise float s = t + ur;
            k = clamp(int(s / range), 0, levels);
            while (k < levels) {
                precise float next = float(k + 1) * range;
                if (next > s) {
                    break;
                }
                k++;
            }
            while (k > 0) {
                precise float here = float(k) * range;
                if (here <= s) {
                    break;
                }
                k--;
            }
        }
        uint bit = j * p.bits;
        word |= uint(k) << (bit & 31u);
        if (((bit + p.bits) & 31u) == 0u || j + 1u == p.d) {
            words[w + (bit >> 5)] = word;
            word = 0u;
        }
    }
    for (uint k = (p.d * p.bits + 31u) / 32u; k < p.wpr; k++) {
        words[w + k] = 0u;
    }
}
