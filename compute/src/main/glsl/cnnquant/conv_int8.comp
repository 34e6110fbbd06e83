#version 450
// W8A8 3x3 conv with int32 accumulation: out = b[t] + (s_x * s_t) * sum over in-bounds taps of (q_x - z_x) * q_w.
// uint8 codes [images][xWords] and int8 weights [cs*9][ct] arrive packed four bytes to a word (little-endian).
// Same tap order and rescale expression as ConvKernels.int8 ('precise': no FMA): bit-identical results.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Xq { uint xq[]; };
layout(std430, binding = 1) readonly buffer Wq { int wq[]; };
layout(std430, binding = 2) readonly buffer Scale { float scale[]; };
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };
layout(std430, binding = 4) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Push { int images; int cs; int ct; int h; int w; int zx; float sx; int xWords; } p;

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
    int xo = img * p.xWords;
    int acc = 0;
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
                int k = (c * p.h + sy) * p.w + sx;
                int xv = int(bitfieldExtract(xq[xo + (k >> 2)], (k & 3) * 8, 8)) - p.zx;
                if (xv != 0) {
                    int wi = (c * 9 + ky * 3 + kx) * p.ct + t;
                    acc += xv * bitfieldExtract(wq[wi >> 2], (wi & 3) * 8, 8);
                }
            }
        }
    }
    precise float f = p.sx * scale[t];
    precise float r = f * float(acc);
    precise float v = bias[t] + r;
    o[id] = v;
}
