#version 450
// Memory-aware mean aggregation over a block (FastGL section 5, CPU twin CpuSamplingKernels.aggregateMean):
// a workgroup is 8 destinations x 32 feature columns; the destinations' neighbour ids are staged in shared
// memory STAGE at a time, and each invocation keeps its partial sum in a register and writes global
// memory once: out[i][c] = (1 / deg_i) * sum_e x[srcLocal[e]][c], or x[i][c] when deg_i = 0.
// Destination groups are folded over x and y (65,535 per dimension); column tiles are z.
// std430: offsets int32[nd+1], srcLocal int32[E], x float32[numSrc * dim], out float32[nd * dim].
layout(local_size_x = 32, local_size_y = 8) in;
layout(constant_id = 0) const uint STAGE = 32;

layout(std430, binding = 0) readonly buffer Offsets { int off[]; };
layout(std430, binding = 1) readonly buffer SrcLocal { int srcLocal[]; };
layout(std430, binding = 2) readonly buffer X { float x[]; };
layout(std430, binding = 3) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint nd; uint dim; uint chunks; } p;

shared int ids[8][STAGE];

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint ly = gl_LocalInvocationID.y;
    uint lx = gl_LocalInvocationID.x;
    uint i = group * 8u + ly;
    uint col = gl_WorkGroupID.z * 32u + lx;
    int a = i < p.nd ? off[i] : 0;
    int b = i < p.nd ? off[i + 1] : 0;
    float acc = 0.0;
    // p.chunks = ceil(max block degree / STAGE): the same trip count for the whole workgroup, so the
    // barriers below are reached in uniform control flow.
    for (uint chunk = 0u; chunk < p.chunks; chunk++) {
        int base = a + int(chunk * STAGE);
        for (uint t = lx; t < STAGE; t += 32u) {
            int e = base + int(t);
            ids[ly][t] = e < b ? srcLocal[e] : -1;
        }
        // Staged ids are written by other invocations of the group; read them after the barrier.
        barrier();
        if (col < p.dim) {
            for (uint t = 0u; t < STAGE; t++) {
                int id = ids[ly][t];
                if (id >= 0) {
                    acc += x[uint(id) * p.dim + col];
                }
            }
        }
        // The next chunk overwrites ids: every invocation must be done reading.
        barrier();
    }
    if (i < p.nd && col < p.dim) {
        if (b > a) {
            float inv = 1.0 / float(b - a);
            outv[i * p.dim + col] = acc * inv;
        } else {
            outv[i * p.dim + col] = x[i * p.dim + col];
        }
    }
}
