#version 450
// Top-K page choice per query head (PageSelection): the K best of pages 0 .. P-2 by (score desc, id asc), written
// in ascending id order, then the newest page P-1. One workgroup per head; each invocation ranks its pages against
// all others (stopping once the rank reaches K), flags the chosen ones in shared memory, and invocation 0 compacts.
// Per invocation: ceil(P / WG) * P comparisons; under lavapipe's 65,535 loop limit for P <= 2048 pages at WG = 256.
layout(local_size_x_id = 0) in;

const int MAX_PAGES = 8192;

layout(std430, binding = 0) readonly buffer Scores { float scores[]; };  // [qHeads][pages]
layout(std430, binding = 1) writeonly buffer Selected { int selected[]; }; // [qHeads][stride]

layout(push_constant) uniform Push {
    int pages;
    int chosen;
    int stride;
} pc;

shared uint flags[MAX_PAGES / 32];

bool better(int base, int a, int b) {
    float sa = scores[base + a];
    float sb = scores[base + b];
    return sa > sb || (sa == sb && a < b);
}

void main() {
    int h = int(gl_WorkGroupID.x);
    int lid = int(gl_LocalInvocationID.x);
    int wg = int(gl_WorkGroupSize.x);
    int base = h * pc.pages;
    for (int w = lid; w < MAX_PAGES / 32; w += wg) {
        flags[w] = 0u;
    }
    barrier();
    for (int p = lid; p < pc.pages - 1; p += wg) {
        int rank = 0;
        for (int o = 0; o < pc.pages - 1 && rank < pc.chosen; o++) {
            if (better(base, o, p)) {
                rank++;
            }
        }
        if (rank < pc.chosen) {
            atomicOr(flags[p >> 5], 1u << uint(p & 31));
        }
    }
    barrier();
    if (lid == 0) {
        int n = 0;
        for (int p = 0; p < pc.pages - 1; p++) {
            if ((flags[p >> 5] & (1u << uint(p & 31))) != 0u) {
                selected[h * pc.stride + n] = p;
                n++;
            }
        }
        selected[h * pc.stride + n] = pc.pages - 1;
    }
}
