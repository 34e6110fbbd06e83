#version 450
// Sparse aggregation over A2Q-quantized features (CPU twin CpuQuantKernels.aggregate): for output element (r, j),
// out[r][j] = sum_{k in row r} vals[k] * (codes[cols[k]][j] * |alpha_cols[k]|), one accumulator per invocation
// in CSR order (the CPU's order), over a 2-D folded grid of rows * f elements. The integer codes are read as
// stored (int32 here; the memory saving of narrow codes is modelled, not packed).
// std430: rowPtr int32[rows + 1], cols int32[nnz], vals float32[nnz], codes int32[n * f], alpha float32[n],
// out float32[rows * f].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer RowPtr { int rowPtr[]; };
layout(std430, binding = 1) readonly buffer Cols { int cols[]; };
layout(std430, binding = 2) readonly buffer Vals { float vals[]; };
layout(std430, binding = 3) readonly buffer Codes { int codes[]; };
layout(std430, binding = 4) readonly buffer Alpha { float alpha[]; };
layout(std430, binding = 5) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint total; uint f; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint e = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (e >= p.total) {
        return;
    }
    uint r = e / p.f;
    uint j = e - r * p.f;
    precise float acc = 0.0;
    for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        uint c = uint(cols[k]);
        precise float value = float(codes[c * p.f + j]) * max(abs(alpha[c]), 1e-12);
        precise float term = vals[k] * value;
        acc = acc + term;
    }
    outv[e] = acc;
}
