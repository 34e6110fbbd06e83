package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.Arrays;

/**
 * FastGL's Fused-Map on the CPU: one open-addressing hash table assigns local ids in a single pass.
 * Destinations are inserted first with local id = position; then each sampled source is looked up and, if
 * new, takes the next local id on the spot, so the edge's local id is written in the same pass.
 *
 * <p>Table: {@code 2^k} int slots for keys and values with {@code 2^k >= 2 * (numDst + numEdges)} (FastGL's
 * {@code TableSize(n, 2)}), keys hashed with {@link CounterRng#mix} and probed with growing steps
 * 1, 2, 3, ... (triangular numbers visit every slot of a power-of-two table). New sources get local ids in
 * order of first appearance. The table is kept between calls and cleared per hop; one instance per thread.
 */
public final class FusedIdMapper implements IdMapper {

    private int[] keys = new int[0];
    private int[] values = new int[0];
    private long probes;
    private long lookups;

    @Override
    public String name() {
        return "fused";
    }

    @Override
    public Block map(HopSample hop) {
        int[] dst = hop.dst();
        int nd = dst.length;
        int ne = hop.numEdges();
        int[] edgeSrc = hop.edgeSrc();
        int size = tableSize(nd + ne);
        if (keys.length < size) {
            keys = new int[size];
            values = new int[size];
        }
        int mask = size - 1;
        Arrays.fill(keys, 0, size, -1);
        int[] srcNodes = new int[nd + ne];
        System.arraycopy(dst, 0, srcNodes, 0, nd);
        for (int i = 0; i < nd; i++) {
            int slot = slotOf(dst[i], mask);
            if (keys[slot] == -1) {
                keys[slot] = dst[i];
                values[slot] = i;
            }
        }
        int next = nd;
        int[] srcLocal = new int[ne];
        for (int e = 0; e < ne; e++) {
            int id = edgeSrc[e];
            int slot = slotOf(id, mask);
            if (keys[slot] == -1) {
                keys[slot] = id;
                values[slot] = next;
                srcNodes[next++] = id;
            }
            srcLocal[e] = values[slot];
        }
        lookups += nd + ne;
        return new Block(nd, next == srcNodes.length ? srcNodes : Arrays.copyOf(srcNodes, next), hop.offsets(),
                srcLocal);
    }

    /** The slot holding {@code id}, or the empty slot where it belongs. */
    private int slotOf(int id, int mask) {
        int pos = CounterRng.mix(id) & mask;
        int delta = 1;
        while (keys[pos] != -1 && keys[pos] != id) {
            pos = (pos + delta++) & mask;
            probes++;
        }
        return pos;
    }

    /** Smallest power of two that is at least {@code 2 * n} (and at least 16). */
    public static int tableSize(int n) {
        int s = 16;
        while (s < 2L * n) {
            s <<= 1;
        }
        return s;
    }

    /** Mean extra probes per lookup since construction (0 = no collisions). */
    public double meanExtraProbes() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }
}
