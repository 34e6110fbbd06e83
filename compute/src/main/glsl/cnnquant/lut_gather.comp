#version 450
// Q-CNN look-up accumulation of an FC layer: out[i][t] = b[t] + sum_m table[i][m][code(t, m)], M look-ups and
// adds per output and no multiplications. Codes are [outputs][subspaces] int32 (the PqLayer layout with one
// position). m ascends as in PqLayer.lutForwardFc, so results match the CPU twin bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Table { float table[]; }; // [images][subspaces][codewords]
layout(std430, binding = 1) readonly buffer Codes { int codes[]; };   // [outputs][subspaces]
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };   // [outputs]
layout(std430, binding = 3) writeonly buffer Out { float o[]; };      // [images][outputs]

layout(push_constant) uniform Push { int images; int outputs; int subspaces; int codewords; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (id >= p.images * p.outputs) {
        return;
    }
    int img = id / p.outputs;
    int t = id - img * p.outputs;
    int to = img * p.subspaces * p.codewords;
    int co = t * p.subspaces;
    precise float acc = bias[t];
    for (int m = 0; m < p.subspaces; m++) {
        acc = acc + table[to + m * p.codewords + codes[co + m]];
    }
    o[id] = acc;
}
