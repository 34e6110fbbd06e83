#version 450
// Block-sparse causal prefill (LServe section 3.4): one workgroup per (query head, query tile), one invocation per
// query row. Each dispatch folds list entries [entryOffset, entryOffset + entries) of the tile list into the row's
// online-softmax state, so a pass stays under lavapipe's 65,535 loop iterations per invocation; the host records
// as many passes as the longest list needs, and the last pass (finish = 1) normalises into out.
// Mirrors CpuAttentionKernels.prefillTile: per tile, scores s_j = sum_d (q_d / sqrt(D)) k_jd summed in d order,
// m' = max(m, max_j s_j), l = l e^(m - m') + sum e^(s_j - m'), acc = acc e^(m - m') + sum e^(s_j - m') v_j.
layout(local_size_x_id = 0) in;

const int MAX_TILE_K = 128;

layout(std430, binding = 0) readonly buffer Queries { float q[]; };     // [qHeads][tokens][dim]
layout(std430, binding = 1) readonly buffer Keys { float k[]; };        // [kvHeads][tokens][dim]
layout(std430, binding = 2) readonly buffer Values { float v[]; };      // [kvHeads][tokens][dim]
layout(std430, binding = 3) readonly buffer ListStart { int listStart[]; }; // [qHeads * queryTiles + 1]
layout(std430, binding = 4) readonly buffer TileList { int tiles[]; };  // key tile indices, ascending per list
layout(std430, binding = 5) readonly buffer HeadKind { int streaming[]; }; // [qHeads]: 1 streaming, 0 dense
layout(std430, binding = 6) buffer RowState { float state[]; };         // [qHeads][tokens][2 + dim]: m, l, acc
layout(std430, binding = 7) writeonly buffer Out { float outp[]; };     // [qHeads][tokens][dim]

layout(push_constant) uniform Push {
    int tokens;
    int qHeads;
    int kvHeads;
    int dim;
    int tileQ;
    int tileK;
    int sinkTokens;
    int localTokens;
    int entryOffset;
    int entries;
    int finish;
    int queryTiles;
} pc;

void main() {
    // groups may be folded into 2-D past 65,535 per dimension (Grid.linear)
    int item = int(gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x);
    int h = item / pc.queryTiles;
    int qt = item % pc.queryTiles;
    int r = int(gl_LocalInvocationID.x);
    int i = qt * pc.tileQ + r;
    if (item >= pc.qHeads * pc.queryTiles || r >= pc.tileQ || i >= pc.tokens) {
        return;
    }
    int dim = pc.dim;
    int kvh = h / (pc.qHeads / pc.kvHeads);
    int qRow = (h * pc.tokens + i) * dim;
    int kvBase = kvh * pc.tokens * dim;
    int st = (h * pc.tokens + i) * (2 + dim);
    bool isStreaming = streaming[h] != 0;
    precise float scale = 1.0 / sqrt(float(dim));

    float m;
    float l;
    if (pc.entryOffset == 0) {
        m = uintBitsToFloat(0xff800000u);
        l = 0.0;
        for (int d = 0; d < dim; d++) {
            state[st + 2 + d] = 0.0;
        }
    } else {
        m = state[st];
        l = state[st + 1];
    }
    int start = listStart[item] + pc.entryOffset;
    int end = min(listStart[item + 1], start + pc.entries);
    float s[MAX_TILE_K];
    for (int e = start; e < end; e++) {
        int j0 = tiles[e] * pc.tileK;
        int nk = min(pc.tokens, j0 + pc.tileK) - j0;
        int nc = min(nk, i - j0 + 1);
        if (nc <= 0) {
            continue;
        }
        precise float tileMax = uintBitsToFloat(0xff800000u);
        for (int jj = 0; jj < nc; jj++) {
            precise float acc = 0.0;
            int kb = kvBase + (j0 + jj) * dim;
            for (int d = 0; d < dim; d++) {
                precise float qd = q[qRow + d] * scale;
                acc += qd * k[kb + d];
            }
            int j = j0 + jj;
            if (isStreaming && j >= pc.sinkTokens && i - j >= pc.localTokens) {
                acc = uintBitsToFloat(0xff800000u);
            }
            s[jj] = acc;
            tileMax = max(tileMax, acc);
        }
        if (isinf(tileMax) && tileMax < 0.0) {
            continue;
        }
        precise float mNew = max(m, tileMax);
        precise float corr = (isinf(m) && m < 0.0) ? 0.0 : exp(m - mNew);
        precise float lNew = l * corr;
        if (corr != 1.0) {
            for (int d = 0; d < dim; d++) {
                state[st + 2 + d] *= corr;
            }
        }
        for (int jj = 0; jj < nc; jj++) {
            if (isinf(s[jj]) && s[jj] < 0.0) {
                continue;
            }
            precise float p = exp(s[jj] - mNew);
            lNew += p;
            int vb = kvBase + (j0 + jj) * dim;
            for (int d = 0; d < dim; d++) {
                state[st + 2 + d] += p * v[vb + d];
            }
        }
        m = mNew;
        l = lNew;
    }
    state[st] = m;
    state[st + 1] = l;
    if (pc.finish != 0) {
        float inv = l > 0.0 ? 1.0 / l : 0.0;
        for (int d = 0; d < dim; d++) {
            outp[qRow + d] = state[st + 2 + d] * inv;
        }
    }
}
