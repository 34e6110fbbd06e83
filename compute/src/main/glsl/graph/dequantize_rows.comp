#version 450
// The Low-bit Module's decoder, one invocation per value (CPU twin: CpuLowBitKernels.dequantize):
//   x^_j = lo' + q_j * (range' * invLevels)      (`precise`: two roundings, as in Java; invLevels = 1f / L
//                                                  from the host, so no device division is involved)
// std430: lo float32[rows], range float32[rows], words uint32[rows * wpr], out float32[rows * d].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Lo { float lo[]; };
layout(std430, binding = 1) readonly buffer Range { float range[]; };
layout(std430, binding = 2) readonly buffer Words { uint words[]; };
layout(std430, binding = 3) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint rows; uint d; uint bits; uint wpr; uint invLevelsBits; } p;

void main() {
    uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x
            + gl_LocalInvocationID.x;
    if (i >= p.rows * p.d) {
        return;
    }
    uint r = i / p.d;
    uint j = i - r * p.d;
    uint bit = j * p.bits;
    uint q = (words[r * p.wpr + (bit >> 5)] >> (bit & 31u)) & ((1u << p.bits) - 1u);
    precise float step = range[r] * uintBitsToFloat(p.invLevelsBits);
    precise float v = lo[r] + float(q) * step;
    outv[i] = v;
}
