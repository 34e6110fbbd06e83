#version 450
// Loop-budget probe: one invocation runs `iterations` loop trips and writes how many it really ran.
// lavapipe (Mesa gallivm LP_MAX_TGSI_LOOP_ITERATIONS) stops at 65,535 per invocation.
layout(local_size_x = 1) in;

layout(std430, binding = 0) buffer Out { uint counted[]; };
layout(push_constant) uniform Push { uint iterations; } p;

void main() {
    uint c = 0;
    for (uint i = 0; i < p.iterations; i++) {
        c += 1;
        counted[1] = c;   // a store in the body keeps the loop from being folded into one addition
    }
    counted[0] = c;
}
