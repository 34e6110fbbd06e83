#version 450
// Split-K decode attention over listed pages, pass 1: one invocation per (list entry e, query head h) folds the
// tokens of page pages[h * stride + e] into a partial (m, l, o): m = max_j s_j, l = sum e^(s_j - m),
// o = sum e^(s_j - m) v_j, with s_j = (q . k_j) / sqrt(D) summed like AttentionMath.dot. At most N_P * (2D + 2)
// loop iterations per invocation.
layout(local_size_x_id = 0) in;

const int MAX_PAGE_TOKENS = 256;

layout(std430, binding = 0) readonly buffer Queries { float q[]; };       // [qHeads][dim]
layout(std430, binding = 1) readonly buffer Keys { float k[]; };          // [kvHeads][poolTokens][dim]
layout(std430, binding = 2) readonly buffer Values { float v[]; };
layout(std430, binding = 3) readonly buffer BlockTable { int table[]; };
layout(std430, binding = 4) readonly buffer Pages { int pages[]; };       // [qHeads][stride]
layout(std430, binding = 5) writeonly buffer Partials { float part[]; };  // [qHeads][stride][2 + dim]

layout(push_constant) uniform Push {
    int tokens;
    int dim;
    int groupSize;
    int poolTokens;
    int pageTokens;
    int count;
    int stride;
} pc;

void main() {
    int e = int(gl_GlobalInvocationID.x);
    int h = int(gl_GlobalInvocationID.y);
    if (e >= pc.count) {
        return;
    }
    int dim = pc.dim;
    int p = pages[h * pc.stride + e];
    int last = (pc.tokens - 1) / pc.pageTokens;
    int n = p == last ? (pc.tokens - 1) % pc.pageTokens + 1 : pc.pageTokens;
    int kvBase = (h / pc.groupSize) * pc.poolTokens * dim + table[p] * pc.pageTokens * dim;
    int qo = h * dim;
    float scale = 1.0 / sqrt(float(dim));
    float s[MAX_PAGE_TOKENS];
    float m = uintBitsToFloat(0xff800000u);
    for (int t = 0; t < n; t++) {
        int kb = kvBase + t * dim;
        precise float s0 = 0.0;
        precise float s1 = 0.0;
        precise float s2 = 0.0;
        precise float s3 = 0.0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += q[qo + i] * k[kb + i];
            s1 += q[qo + i + 1] * k[kb + i + 1];
            s2 += q[qo + i + 2] * k[kb + i + 2];
            s3 += q[qo + i + 3] * k[kb + i + 3];
        }
        precise float dotv = (s0 + s1) + (s2 + s3);
        for (; i < dim; i++) {
            dotv += q[qo + i] * k[kb + i];
        }
        s[t] = dotv * scale;
        m = max(m, s[t]);
    }
    int po = (h * pc.stride + e) * (2 + dim);
    for (int d = 0; d < dim; d++) {
        part[po + 2 + d] = 0.0;
    }
    float l = 0.0;
    for (int t = 0; t < n; t++) {
        float w = exp(s[t] - m);
        l += w;
        int vb = kvBase + t * dim;
        for (int d = 0; d < dim; d++) {
            part[po + 2 + d] += w * v[vb + d];
        }
    }
    part[po] = m;
    part[po + 1] = l;
}
