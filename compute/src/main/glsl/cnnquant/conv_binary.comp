#version 450
// Binary-weight 3x3 conv, sign-accumulate: out = b[t] + alpha[t] * (2 * plus - total) over the in-bounds taps,
// plus summing the inputs whose weight sign is +1. Signs as bits [ct][words] over the fan-in index c*9+ky*3+kx.
// Tap order and expressions as ConvKernels.binary ('precise'): bit-identical results.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Bits { uint bits[]; };
layout(std430, binding = 2) readonly buffer Alpha { float alpha[]; };
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };
layout(std430, binding = 4) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Push { int images; int cs; int ct; int h; int w; int words; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    int hw = p.h * p.w;
    if (id >= p.images * p.ct * hw) {
        return;
    }
    int img = id / (p.ct * hw);
    int rem = id - img * p.ct * hw;
    int t = rem / hw;
    int y = (rem - t * hw) / p.w;
    int xx = rem - t * hw - y * p.w;
    int xo = img * p.cs * hw;
    int bo = t * p.words;
    precise float plus = 0.0;
    precise float total = 0.0;
    for (int c = 0; c < p.cs; c++) {
        for (int ky = 0; ky < 3; ky++) {
            int sy = y + ky - 1;
            if (sy < 0 || sy >= p.h) {
                continue;
            }
            for (int kx = 0; kx < 3; kx++) {
                int sx = xx + kx - 1;
                if (sx < 0 || sx >= p.w) {
                    continue;
                }
                float v = x[xo + (c * p.h + sy) * p.w + sx];
                if (v != 0.0) {
                    total = total + v;
                    int k = c * 9 + ky * 3 + kx;
                    if (((bits[bo + (k >> 5)] >> uint(k & 31)) & 1u) != 0u) {
                        plus = plus + v;
                    }
                }
            }
        }
    }
    precise float d = 2.0 * plus - total;
    precise float r = alpha[t] * d;
    precise float v = bias[t] + r;
    o[id] = v;
}
