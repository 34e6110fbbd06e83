#version 450
// W8A8 FC layer with integer accumulation: out[i][j] = b[j] + (s_x * s_j) * sum_k (q_x[i][k] - z_x) * q_w[k][j].
// uint8 activation codes and int8 weights arrive as bytes packed little-endian four to a 32-bit word (no 8-bit
// storage feature needed); bitfieldExtract on uint zero-extends, on int sign-extends. The int32 sum is exact;
// the rescale is the CPU twin's float expression in its order ('precise': no FMA), so results match bit for bit.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Xq { uint xq[]; };        // [images][xWords] packed uint8 codes
layout(std430, binding = 1) readonly buffer Wq { int wq[]; };         // [fanIn][outputs] packed int8, flat
layout(std430, binding = 2) readonly buffer Scale { float scale[]; }; // [outputs] weight scale per channel
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };   // [outputs]
layout(std430, binding = 4) writeonly buffer Out { float o[]; };      // [images][outputs]

layout(push_constant) uniform Push { int images; int fanIn; int outputs; int zx; float sx; int xWords; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    int id = int(group * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (id >= p.images * p.outputs) {
        return;
    }
    int img = id / p.outputs;
    int j = id - img * p.outputs;
    int xo = img * p.xWords;
    int acc = 0;
    for (int k = 0; k < p.fanIn; k++) {
        int xv = int(bitfieldExtract(xq[xo + (k >> 2)], (k & 3) * 8, 8)) - p.zx;
        if (xv != 0) {
            int wi = k * p.outputs + j;
            acc += xv * bitfieldExtract(wq[wi >> 2], (wi & 3) * 8, 8);
        }
    }
    precise float f = p.sx * scale[j];
    precise float r = f * float(acc);
    precise float v = bias[j] + r;
    o[id] = v;
}
