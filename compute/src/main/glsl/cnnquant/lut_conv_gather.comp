#version 450
// Q-CNN conv look-up accumulation: out[i][t][y][x] = b[t] + sum over in-bounds taps (ky, kx), then subspaces m,
// of table[i][tap location][m][code(t, ky*3+kx, m)]: 9 M look-ups per output pixel, no multiplications.
// Codes [ct][9][subspaces] int32. Order as PqLayer.lutForwardConv: bit-identical results.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Table { float table[]; }; // [images][h*w][subspaces][codewords]
layout(std430, binding = 1) readonly buffer Codes { int codes[]; };   // [ct][9][subspaces]
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };   // [ct]
layout(std430, binding = 3) writeonly buffer Out { float o[]; };      // [images][ct][h][w]

layout(push_constant) uniform Push { int images; int ct; int h; int w; int subspaces; int codewords; } p;

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
    int mk = p.subspaces * p.codewords;
    int to = img * hw * mk;
    precise float acc = bias[t];
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
            int tOff = to + (sy * p.w + sx) * mk;
            int cOff = (t * 9 + ky * 3 + kx) * p.subspaces;
            for (int m = 0; m < p.subspaces; m++) {
                acc = acc + table[tOff + m * p.codewords + codes[cOff + m]];
            }
        }
    }
    o[id] = acc;
}
