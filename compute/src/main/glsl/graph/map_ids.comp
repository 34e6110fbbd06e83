#version 450
// FastGL's Fused-Map on an open-addressing hash table, one pass per dispatch (spec constant PASS):
//   PASS 0, one invocation per destination i: insert dst[i] with local id i.
//   PASS 1, one invocation per sampled edge e: insert edgeSrc[e] by compare-and-swap; the first invocation
//           that claims a slot that is not a destination (values -1 -> -2) takes idx = atomicAdd(counter)
//           and gives the source local id numDst + idx; remember the slot of e.
//   PASS 2, one invocation per edge: srcLocal[e] = values[slotOfEdge[e]].
// New sources are numbered in atomic order (not deterministic): parity tests compare bijections.
// Probing as the CPU twin: slot = lowbias32(id) & mask, steps 1, 2, 3, ... (triangular numbers cover a
// power-of-two table). Table size >= 2 * (numDst + numEdges), so probe sequences stay short.
// std430: keys uint32[size] (0xFFFFFFFF = empty), values int32[size] (-1 = unset), dst int32[nd],
// edgeSrc int32[ne], slotOfEdge int32[ne], newSrc int32[ne], counter uint32[1], srcLocal int32[ne].
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint PASS = 0;

layout(std430, binding = 0) buffer Keys { uint keys[]; };
layout(std430, binding = 1) buffer Values { int values[]; };
layout(std430, binding = 2) readonly buffer Dst { int dst[]; };
layout(std430, binding = 3) readonly buffer EdgeSrc { int edgeSrc[]; };
layout(std430, binding = 4) buffer SlotOfEdge { int slotOfEdge[]; };
layout(std430, binding = 5) buffer NewSrc { int newSrc[]; };
layout(std430, binding = 6) buffer Counter { uint counter[]; };
layout(std430, binding = 7) buffer SrcLocal { int srcLocal[]; };
layout(push_constant) uniform Push { uint nd; uint ne; uint mask; } p;

const uint EMPTY = 0xFFFFFFFFu;

uint mix32(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

uint insert(uint id) {
    uint pos = mix32(id) & p.mask;
    uint delta = 1u;
    while (true) {
        uint old = atomicCompSwap(keys[pos], EMPTY, id);
        if (old == EMPTY || old == id) {
            return pos;
        }
        pos = (pos + delta) & p.mask;
        delta++;
    }
    return pos;
}

void main() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint i = group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (PASS == 0u) {
        if (i < p.nd) {
            values[insert(uint(dst[i]))] = int(i);
        }
    } else if (PASS == 1u) {
        if (i < p.ne) {
            uint slot = insert(uint(edgeSrc[i]));
            slotOfEdge[i] = int(slot);
            if (atomicCompSwap(values[slot], -1, -2) == -1) {
                uint idx = atomicAdd(counter[0], 1u);
                values[slot] = int(p.nd + idx);
                newSrc[idx] = edgeSrc[i];
            }
        }
    } else {
        if (i < p.ne) {
            srcLocal[i] = values[slotOfEdge[i]];
        }
    }
}
