package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.Arrays;
import java.util.List;

/**
 * GNNLab's pre-sampling cache (PreSC), as FastGL uses it: count how often each node appears in one epoch's
 * batch inputs, then keep the most frequent {@code capacity} feature rows "on the device" for the whole
 * run. Here the device is simulated by a separate array; what matters is which rows never cross the bus
 * again. Immutable after construction; thread-safe.
 */
public final class StaticFeatureCache {

    private final int[] slotOf;
    private final float[] rows;
    private final int capacity;

    private StaticFeatureCache(int[] slotOf, float[] rows, int capacity) {
        this.slotOf = slotOf;
        this.rows = rows;
        this.capacity = capacity;
    }

    /** A cache that holds nothing. */
    public static StaticFeatureCache empty(int numNodes) {
        int[] slots = new int[numNodes];
        Arrays.fill(slots, -1);
        return new StaticFeatureCache(slots, new float[0], 0);
    }

    /**
     * Fills the cache from a pre-sampled epoch.
     *
     * @param cacheRatio fraction of all nodes to cache, in [0, 1]: capacity = floor(N * ratio) rows
     * @param epochInputs the input-node lists of every batch of the pre-sampled epoch
     */
    public static StaticFeatureCache presample(float[] features, int dim, int numNodes, double cacheRatio,
                                               List<int[]> epochInputs) {
        if (!(cacheRatio >= 0 && cacheRatio <= 1)) {
            throw new IllegalArgumentException("cacheRatio: expected in [0, 1], got " + cacheRatio);
        }
        int capacity = (int) Math.floor(numNodes * cacheRatio);
        int[] slots = new int[numNodes];
        Arrays.fill(slots, -1);
        if (capacity == 0) {
            return new StaticFeatureCache(slots, new float[0], 0);
        }
        int[] freq = new int[numNodes];
        for (int[] in : epochInputs) {
            for (int v : in) {
                freq[v]++;
            }
        }
        // Sort node ids by frequency, descending; ties by id for determinism (counting sort on frequency).
        int maxF = 0;
        for (int f : freq) {
            maxF = Math.max(maxF, f);
        }
        int[] start = new int[maxF + 2];
        for (int f : freq) {
            start[maxF - f + 1]++;
        }
        for (int i = 1; i < start.length; i++) {
            start[i] += start[i - 1];
        }
        int[] order = new int[numNodes];
        for (int v = 0; v < numNodes; v++) {
            order[start[maxF - freq[v]]++] = v;
        }
        float[] rows = new float[Math.multiplyExact(capacity, dim)];
        for (int s = 0; s < capacity; s++) {
            int v = order[s];
            slots[v] = s;
            System.arraycopy(features, v * dim, rows, s * dim, dim);
        }
        return new StaticFeatureCache(slots, rows, capacity);
    }

    /** Cache slot of node {@code v}, or -1. */
    public int slot(int v) {
        return slotOf[v];
    }

    /** Cached rows, {@code float[capacity * dim]}; not a copy. */
    float[] rows() {
        return rows;
    }

    public int capacity() {
        return capacity;
    }
}
