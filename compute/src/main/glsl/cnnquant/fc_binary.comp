#version 450
// Binary-weight FC layer (sign-accumulate): out[i][j] = b[j] + alpha[j] * (2 * plus - total) with
// plus = sum of x[i][k] where B[k][j] = +1 and total = sum_k x[i][k]; no multiplications by weights. Signs are
// bits, 32 per word, [outputs][words]. Zeros of x skipped and k ascending as in FcKernels.binary ('precise': the
// sums and the final expression round as in Java), so results match the CPU twin bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };         // [images][fanIn]
layout(std430, binding = 1) readonly buffer Bits { uint bits[]; };    // [outputs][words]
layout(std430, binding = 2) readonly buffer Alpha { float alpha[]; }; // [outputs]
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };   // [outputs]
layout(std430, binding = 4) writeonly buffer Out { float o[]; };      // [images][outputs]

layout(push_constant) uniform Push { int images; int fanIn; int outputs; int words; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (id >= p.images * p.outputs) {
        return;
    }
    int img = id / p.outputs;
    int j = id - img * p.outputs;
    int xo = img * p.fanIn;
    int bo = j * p.words;
    precise float plus = 0.0;
    precise float total = 0.0;
    for (int k = 0; k < p.fanIn; k++) {
        float xv = x[xo + k];
        if (xv != 0.0) {
            total = total + xv;
            if (((bits[bo + (k >> 5)] >> uint(k & 31)) & 1u) != 0u) {
                plus = plus + xv;
            }
        }
    }
    precise float d = 2.0 * plus - total;
    precise float r = alpha[j] * d;
    precise float v = bias[j] + r;
    o[id] = v;
}
