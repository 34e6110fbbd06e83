#version 450
// Float32 3x3 stride-1 zero-padded conv: out[i][t][y][x] = b[t] + sum over in-bounds taps (c, ky, kx) of
// in[i][c][y+ky-1][x+kx-1] * W[c*9 + ky*3 + kx][t]; one invocation per output value. c, ky, kx ascend and zero
// inputs are skipped as in ConvKernels.dense; 'precise' forbids FMA, so results match the CPU twin bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };         // [images][cs][h][w]
layout(std430, binding = 1) readonly buffer W { float wt[]; };        // [cs*9][ct]
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };   // [ct]
layout(std430, binding = 3) writeonly buffer Out { float o[]; };      // [images][ct][h][w]

layout(push_constant) uniform Push { int images; int cs; int ct; int h; int w; } p;

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
    precise float acc = bias[t];
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
                    precise float m = v * wt[(c * 9 + ky * 3 + kx) * p.ct + t];
                    acc = acc + m;
                }
            }
        }
    }
    o[id] = acc;
}
