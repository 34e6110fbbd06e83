#version 450
// Split-K decode attention, pass 2: merges the per-page partials of one query head. With M = max_e m_e:
// l = sum_e l_e e^(m_e - M), o = sum_e o_e e^(m_e - M), out = o / l. One invocation per (channel d, head h);
// 2 * count loop iterations.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Partials { float part[]; };   // [qHeads][stride][2 + dim]
layout(std430, binding = 1) writeonly buffer Out { float outp[]; };       // [qHeads][dim]

layout(push_constant) uniform Push {
    int dim;
    int count;
    int stride;
} pc;

void main() {
    int d = int(gl_GlobalInvocationID.x);
    int h = int(gl_GlobalInvocationID.y);
    if (d >= pc.dim) {
        return;
    }
    int row = 2 + pc.dim;
    int base = h * pc.stride * row;
    float mx = uintBitsToFloat(0xff800000u);
    for (int e = 0; e < pc.count; e++) {
        mx = max(mx, part[base + e * row]);
    }
    float l = 0.0;
    float o = 0.0;
    for (int e = 0; e < pc.count; e++) {
        float w = exp(part[base + e * row] - mx);
        l += part[base + e * row + 1] * w;
        o += part[base + e * row + 2 + d] * w;
    }
    outp[h * pc.dim + d] = l > 0.0 ? o / l : 0.0;
}
