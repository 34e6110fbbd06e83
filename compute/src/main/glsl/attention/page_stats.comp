#version 450
// Min-max pooling of keys into per-logical-page channel bounds: kmax_j[d] = max_{t in j} K[t, d],
// kmin_j[d] = min_{t in j} K[t, d]. One invocation per (logical page j, channel d); y = KV head.
// Loops run over at most N_L tokens.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Keys { float keys[]; };      // [kvHeads][poolTokens][dim]
layout(std430, binding = 1) readonly buffer BlockTable { int table[]; };  // sequence page -> pool page
layout(std430, binding = 2) buffer KMin { float kmin[]; };                // [kvHeads][poolLogicalPages][dim]
layout(std430, binding = 3) buffer KMax { float kmax[]; };                // same layout

layout(push_constant) uniform Push {
    int tokens;
    int dim;
    int poolTokens;
    int pageTokens;
    int logicalTokens;
    int poolLogicalPages;
    int logicalPages;
} pc;

void main() {
    int id = int(gl_GlobalInvocationID.x);
    int h = int(gl_GlobalInvocationID.y);
    if (id >= pc.logicalPages * pc.dim) {
        return;
    }
    int j = id / pc.dim;
    int d = id % pc.dim;
    int g = pc.pageTokens / pc.logicalTokens;
    int page = table[j / g];
    int sub = j % g;
    int t0 = j * pc.logicalTokens;
    int n = min(pc.tokens, t0 + pc.logicalTokens) - t0;
    int base = (h * pc.poolTokens + page * pc.pageTokens + sub * pc.logicalTokens) * pc.dim + d;
    float mn = keys[base];
    float mx = mn;
    for (int t = 1; t < n; t++) {
        float x = keys[base + t * pc.dim];
        mn = min(mn, x);
        mx = max(mx, x);
    }
    int stat = (h * pc.poolLogicalPages + page * g + sub) * pc.dim + d;
    kmin[stat] = mn;
    kmax[stat] = mx;
}
