package org.mlsysworkbench.algorithms.graph.sampling;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * FastGL's Fused-Map on the CPU: one open-addressing hash table assigns local ids in a single pass.
 * Destinations are inserted first with local id = position; then each sampled source is looked up and, if
 * new, takes the next local id on the spot, so the edge's local id is written in the same pass.
 *
 * <p>Table: {@code 2^k} int slots for keys and values with {@code 2^k >= 2 * (numDst + numEdges)} (FastGL's
 * {@code TableSize(n, 2)}), keys hashed with {@link CounterRng#mix} and probed with growing steps
 * 1, 2, 3, ... (triangular numbers visit every slot of a power-of-two table). New sources get local ids in
 * order of first appearance. The table is kept between calls and cleared per hop; one instance per thread.
 *
 * <p>Hops of at least {@link #PARALLEL_EDGES} edges run the GPU kernel's algorithm on the fork-join pool:
 * sources are inserted by compare-and-swap from many threads, each slot keeps the smallest edge index that
 * touched it (an atomic minimum, FastGL's {@code index} field), and new sources are numbered by that index.
 * The numbering is therefore the sequential first-seen order, whatever the thread count or interleaving,
 * and both paths return identical blocks.
 */
public final class FusedIdMapper implements IdMapper {

    /** Edge count from which the parallel path is used. */
    public static final int PARALLEL_EDGES = 1 << 16;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private int[] keys = new int[0];
    private int[] values = new int[0];
    private int[] firstEdge = new int[0];
    private long probes;
    private long lookups;

    @Override
    public String name() {
        return "fused";
    }

    @Override
    public Block map(HopSample hop) {
        if (hop.numEdges() >= PARALLEL_EDGES && Runtime.getRuntime().availableProcessors() > 1) {
            return mapParallel(hop);
        }
        return mapSequential(hop);
    }

    /** The single-threaded pass (also the reference of the parallel one). */
    Block mapSequential(HopSample hop) {
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

    /** The multi-threaded pass: CAS inserts, atomic minimum edge index per slot, numbering by that index. */
    Block mapParallel(HopSample hop) {
        int[] dst = hop.dst();
        int nd = dst.length;
        int ne = hop.numEdges();
        int[] edgeSrc = hop.edgeSrc();
        int size = tableSize(nd + ne);
        if (keys.length < size || firstEdge.length < size) {
            keys = new int[size];
            values = new int[size];
            firstEdge = new int[size];
        }
        final int[] k = keys;
        final int[] val = values;
        final int[] first = firstEdge;
        final int mask = size - 1;
        Arrays.fill(k, 0, size, -1);
        Arrays.fill(first, 0, size, Integer.MAX_VALUE);
        // 1. destinations, in order (-1 marks "not a new source")
        for (int i = 0; i < nd; i++) {
            int slot = slotOf(dst[i], mask);
            if (k[slot] == -1) {
                k[slot] = dst[i];
                val[slot] = i;
                first[slot] = -1;
            }
        }
        // 2. sources, in parallel: insert by CAS, keep the smallest edge index per slot
        int[] slotOfEdge = new int[ne];
        int grain = 1 << 14;
        IntStream.range(0, (ne + grain - 1) / grain).parallel().forEach(t -> {
            int end = Math.min(ne, (t + 1) * grain);
            for (int e = t * grain; e < end; e++) {
                int id = edgeSrc[e];
                int pos = CounterRng.mix(id) & mask;
                int delta = 1;
                while (true) {
                    int key = (int) INTS.getVolatile(k, pos);
                    if (key == id) {
                        break;
                    }
                    if (key == -1) {
                        if (INTS.compareAndSet(k, pos, -1, id)) {
                            break;
                        }
                        continue; // another thread claimed this slot: look at it again
                    }
                    pos = (pos + delta++) & mask;
                }
                slotOfEdge[e] = pos;
                int cur = (int) INTS.getVolatile(first, pos);
                while (cur > e && !INTS.compareAndSet(first, pos, cur, e)) {
                    cur = (int) INTS.getVolatile(first, pos);
                }
            }
        });
        // 3. number the new sources by first edge index: the sequential first-seen order
        int fresh = 0;
        for (int s = 0; s < size; s++) {
            if (k[s] != -1 && first[s] >= 0) {
                fresh++;
            }
        }
        long[] order = new long[fresh];
        int c = 0;
        for (int s = 0; s < size; s++) {
            if (k[s] != -1 && first[s] >= 0) {
                order[c++] = ((long) first[s] << 32) | s;
            }
        }
        Arrays.sort(order);
        int[] srcNodes = new int[nd + fresh];
        System.arraycopy(dst, 0, srcNodes, 0, nd);
        for (int r = 0; r < fresh; r++) {
            int s = (int) order[r];
            val[s] = nd + r;
            srcNodes[nd + r] = k[s];
        }
        // 4. map every edge
        int[] srcLocal = new int[ne];
        IntStream.range(0, (ne + grain - 1) / grain).parallel().forEach(t -> {
            int end = Math.min(ne, (t + 1) * grain);
            for (int e = t * grain; e < end; e++) {
                srcLocal[e] = val[slotOfEdge[e]];
            }
        });
        lookups += nd + ne;
        return new Block(nd, srcNodes, hop.offsets(), srcLocal);
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
