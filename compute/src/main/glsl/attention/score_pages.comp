#version 450
// Hierarchical page scores: S_j = sum_i max(q_i kmax_j[i], q_i kmin_j[i]) per logical page (LServe Eq. 2, no
// 1/sqrt(D)), physical score P_p = max over its logical pages that hold tokens. One invocation per (page p, query
// head h). The sum uses AttentionMath.minMaxScore's order (four partial sums over i = 4m + lane, combined as
// (s0 + s1) + (s2 + s3), then the tail) and 'precise' forbids contraction, so scores, and hence the selected page
// ids, match the CPU twin exactly.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Queries { float q[]; };       // [qHeads][dim]
layout(std430, binding = 1) readonly buffer KMin { float kmin[]; };        // [kvHeads][poolLogicalPages][dim]
layout(std430, binding = 2) readonly buffer KMax { float kmax[]; };
layout(std430, binding = 3) readonly buffer BlockTable { int table[]; };
layout(std430, binding = 4) writeonly buffer Scores { float scores[]; };   // [qHeads][pages]

layout(push_constant) uniform Push {
    int tokens;
    int pages;
    int dim;
    int groupSize;
    int pageTokens;
    int logicalTokens;
    int poolLogicalPages;
} pc;

void main() {
    int p = int(gl_GlobalInvocationID.x);
    int h = int(gl_GlobalInvocationID.y);
    if (p >= pc.pages) {
        return;
    }
    int dim = pc.dim;
    int g = pc.pageTokens / pc.logicalTokens;
    int kvh = h / pc.groupSize;
    int page = table[p];
    int qo = h * dim;
    precise float best = uintBitsToFloat(0xff800000u);
    for (int sub = 0; sub < g; sub++) {
        if (p * pc.pageTokens + sub * pc.logicalTokens >= pc.tokens) {
            break;
        }
        int so = ((kvh * pc.poolLogicalPages) + page * g + sub) * dim;
        precise float s0 = 0.0;
        precise float s1 = 0.0;
        precise float s2 = 0.0;
        precise float s3 = 0.0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += max(q[qo + i] * kmax[so + i], q[qo + i] * kmin[so + i]);
            s1 += max(q[qo + i + 1] * kmax[so + i + 1], q[qo + i + 1] * kmin[so + i + 1]);
            s2 += max(q[qo + i + 2] * kmax[so + i + 2], q[qo + i + 2] * kmin[so + i + 2]);
            s3 += max(q[qo + i + 3] * kmax[so + i + 3], q[qo + i + 3] * kmin[so + i + 3]);
        }
        precise float s = (s0 + s1) + (s2 + s3);
        for (; i < dim; i++) {
            s += max(q[qo + i] * kmax[so + i], q[qo + i] * kmin[so + i]);
        }
        best = max(best, s);
    }
    scores[h * pc.pages + p] = best;
}
