#version 450
// Q-CNN conv look-up tables: table[i][loc][m][c] = <D_m[c], x_i[m*C_s'..][loc]> for every image, input location,
// subspace and codeword, one invocation each. The dot product runs as PqLayer.lutForwardConv ('precise').
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };          // [images][cs][h*w]
layout(std430, binding = 1) readonly buffer Codebooks { float cb[]; }; // [subspaces][codewords][subDim]
layout(std430, binding = 2) writeonly buffer Table { float table[]; }; // [images][h*w][subspaces][codewords]

layout(push_constant) uniform Push { int images; int cs; int hw; int subspaces; int codewords; int subDim; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    int mk = p.subspaces * p.codewords;
    if (id >= p.images * p.hw * mk) {
        return;
    }
    int img = id / (p.hw * mk);
    int rem = id - img * p.hw * mk;
    int loc = rem / mk;
    int r2 = rem - loc * mk;
    int m = r2 / p.codewords;
    int xo = img * p.cs * p.hw;
    int co = r2 * p.subDim;
    precise float acc = 0.0;
    for (int i = 0; i < p.subDim; i++) {
        precise float t = cb[co + i] * x[xo + (m * p.subDim + i) * p.hw + loc];
        acc = acc + t;
    }
    table[id] = acc;
}
