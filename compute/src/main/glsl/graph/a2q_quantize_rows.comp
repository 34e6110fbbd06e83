#version 450
// A2Q per-node quantization to integer codes (CPU twin CpuQuantKernels.quantize):
// codes[i][j] = sign(x) * floor(min(|x[i][j]| / |alpha_i|, qmax_i) + 0.5), one element per invocation over a 2-D
// folded grid (Grid.forElements). `precise` keeps the division and the add unfused, as in Java.
// std430: x float32[n * f], alpha float32[n], qmax int32[n], codes int32[n * f].
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Alpha { float alpha[]; };
layout(std430, binding = 2) readonly buffer Qmax { int qmax[]; };
layout(std430, binding = 3) writeonly buffer Codes { int codes[]; };
layout(push_constant) uniform Push { uint total; uint f; } p;

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint e = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (e >= p.total) {
        return;
    }
    uint i = e / p.f;
    float a = max(abs(alpha[i]), 1e-12);
    float v = x[e];
    precise float m = min(abs(v) / a, float(qmax[i]));
    precise float r = m + 0.5;
    int level = int(floor(r));
    codes[e] = v < 0.0 ? -level : level;
}
