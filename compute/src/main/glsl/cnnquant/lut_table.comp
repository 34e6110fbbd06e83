#version 450
// Q-CNN look-up tables of an FC layer: table[i][m][c] = <D_m[c], x_i,m> for every image i, subspace m and
// codeword c, one invocation each (K * C_s' multiply-adds per subspace instead of C_t * C_s'). Codebooks are
// [M][K][C_s'] flat. The dot product runs i ascending from 0 as PqLayer.lutForwardFc ('precise': no FMA).
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };         // [images][fanIn]
layout(std430, binding = 1) readonly buffer Codebooks { float cb[]; };// [subspaces][codewords][subDim]
layout(std430, binding = 2) writeonly buffer Table { float table[]; };// [images][subspaces][codewords]

layout(push_constant) uniform Push { int images; int fanIn; int subspaces; int codewords; int subDim; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    int perImage = p.subspaces * p.codewords;
    if (id >= p.images * perImage) {
        return;
    }
    int img = id / perImage;
    int rem = id - img * perImage;
    int m = rem / p.codewords;
    int xo = img * p.fanIn + m * p.subDim;
    int co = rem * p.subDim;
    precise float acc = 0.0;
    for (int i = 0; i < p.subDim; i++) {
        precise float t = cb[co + i] * x[xo + i];
        acc = acc + t;
    }
    table[id] = acc;
}
