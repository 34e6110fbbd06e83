#version 450
// Blocked fp32 GEMM over the k range [k0, k1): C (M x N) = [C +] A (M x K) * B (K x N), row-major.
// A 16 x 16 workgroup computes a 64 x 64 tile of C, each invocation 4 x 4 outputs (rows ty + 16 i,
// columns tx + 16 j) from 16-deep slices of A and B staged in shared memory (8 KiB).
// Loop budget (lavapipe stops at 65,535 iterations per invocation): <= 392 per 16-deep slice even if
// nothing unrolls, so the host splits K into ranges of at most 1024 (64 slices, ~25k iterations).
layout(local_size_x = 16, local_size_y = 16) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) buffer C { float c[]; };
layout(push_constant) uniform Push { uint M; uint N; uint K; uint k0; uint k1; uint accumulate; } p;

const uint TILE = 64;
const uint DEPTH = 16;
shared float As[DEPTH][TILE];
shared float Bs[DEPTH][TILE];

void main() {
    uint tx = gl_LocalInvocationID.x;
    uint ty = gl_LocalInvocationID.y;
    uint tid = ty * 16 + tx;
    uint row0 = gl_WorkGroupID.y * TILE;
    uint col0 = gl_WorkGroupID.x * TILE;
    float acc[4][4];
    for (uint i = 0; i < 4; i++) {
        for (uint j = 0; j < 4; j++) {
            acc[i][j] = 0.0;
        }
    }
    for (uint kt = p.k0; kt < p.k1; kt += DEPTH) {
        for (uint l = 0; l < 4; l++) {
            uint e = tid + l * 256;
            uint r = e / DEPTH;
            uint kk = e % DEPTH;
            uint gr = row0 + r;
            uint gk = kt + kk;
            As[kk][r] = (gr < p.M && gk < p.k1) ? a[gr * p.K + gk] : 0.0;
            uint bk = e / TILE;
            uint bc = e % TILE;
            uint gbk = kt + bk;
            uint gc = col0 + bc;
            Bs[bk][bc] = (gbk < p.k1 && gc < p.N) ? b[gbk * p.N + gc] : 0.0;
        }
        barrier();
        for (uint kk = 0; kk < DEPTH; kk++) {
            float av[4];
            float bv[4];
            for (uint i = 0; i < 4; i++) {
                av[i] = As[kk][ty + 16 * i];
                bv[i] = Bs[kk][tx + 16 * i];
            }
            for (uint i = 0; i < 4; i++) {
                for (uint j = 0; j < 4; j++) {
                    acc[i][j] += av[i] * bv[j];
                }
            }
        }
        barrier();
    }
    for (uint i = 0; i < 4; i++) {
        uint r = row0 + ty + 16 * i;
        for (uint j = 0; j < 4; j++) {
            uint col = col0 + tx + 16 * j;
            if (r < p.M && col < p.N) {
                uint idx = r * p.N + col;
                c[idx] = p.accumulate != 0 ? c[idx] + acc[i][j] : acc[i][j];
            }
        }
    }
}
