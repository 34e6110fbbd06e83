#version 450
// Float32 FC layer: out[i][j] = b[j] + sum_k x[i][k] * W[k][j], one invocation per (image i, output j) over a
// 2-D folded grid (Grid.linear). Zeros of x are skipped and k ascends, as in FcKernels.dense; 'precise' forbids
// fusing into an FMA, so results match the CPU twin bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };         // [images][fanIn]
layout(std430, binding = 1) readonly buffer W { float w[]; };         // [fanIn][outputs]
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };   // [outputs]
layout(std430, binding = 3) writeonly buffer Out { float o[]; };      // [images][outputs]

layout(push_constant) uniform Push { int images; int fanIn; int outputs; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (id >= p.images * p.outputs) {
        return;
    }
    int img = id / p.outputs;
    int j = id - img * p.outputs;
    int xo = img * p.fanIn;
    precise float acc = bias[j];
    for (int k = 0; k < p.fanIn; k++) {
        float xv = x[xo + k];
        if (xv != 0.0) {
            precise float t = xv * w[k * p.outputs + j];
            acc = acc + t;
        }
    }
    o[id] = acc;
}
