#version 450
// A2Q dequantization (CPU twin CpuQuantKernels.dequantize): out[i][j] = codes[i][j] * |alpha_i|, one element per
// invocation over a 2-D folded grid.
// std430: codes int32[n * f], alpha float32[n], out float32[n * f].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Codes { int codes[]; };
layout(std430, binding = 1) readonly buffer Alpha { float alpha[]; };
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Push { uint total; uint f; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint e = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (e < p.total) {
        outv[e] = float(codes[e]) * max(abs(alpha[e / p.f]), 1e-12);
    }
}
