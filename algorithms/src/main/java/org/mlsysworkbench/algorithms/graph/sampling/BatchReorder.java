package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.List;

/**
 * FastGL's Reorder: order a window of pre-sampled batches so that consecutive batches share many input
 * nodes, which Match then reuses.
 *
 * <p>Overlap ("match degree"): {@code M[i][j] = |S_i ∩ S_j| / |S_j|}, computed with one bit set of
 * {@code N} bits per batch ({@code O(k^2 * N / 64)} word operations); as in the artifact, the upper triangle
 * is computed and copied to the lower one ({@code M[j][i] = M[i][j]} for {@code i < j}). Chain: start at
 * batch 0, repeatedly append the unvisited batch {@code j} with the largest {@code M[last][j]} (ties to the
 * lower index). Stateless.
 */
public final class BatchReorder {

    private BatchReorder() {
    }

    /** The symmetric overlap matrix of the input sets (diagonal 1). */
    public static double[][] overlapMatrix(List<int[]> inputs, int numNodes) {
        int k = inputs.size();
        int words = (numNodes + 63) >>> 6;
        long[][] bits = new long[k][words];
        int[] size = new int[k];
        for (int i = 0; i < k; i++) {
            for (int v : inputs.get(i)) {
                long before = bits[i][v >>> 6];
                bits[i][v >>> 6] = before | 1L << (v & 63);
                if (before != bits[i][v >>> 6]) {
                    size[i]++;
                }
            }
        }
        double[][] m = new double[k][k];
        java.util.stream.IntStream.range(0, k).parallel().forEach(i -> {
            m[i][i] = 1;
            for (int j = i + 1; j < k; j++) {
                long common = 0;
                long[] a = bits[i];
                long[] b = bits[j];
                for (int w = 0; w < words; w++) {
                    common += Long.bitCount(a[w] & b[w]);
                }
                m[i][j] = size[j] == 0 ? 0 : (double) common / size[j];
            }
        });
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                m[j][i] = m[i][j];
            }
        }
        return m;
    }

    /** The greedy chain: a permutation of {@code 0 .. k-1} starting at 0. */
    public static int[] greedyChain(double[][] m) {
        int k = m.length;
        int[] order = new int[k];
        if (k == 0) {
            return order;
        }
        boolean[] used = new boolean[k];
        int last = 0;
        used[0] = true;
        for (int step = 1; step < k; step++) {
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (!used[j] && (best < 0 || m[last][j] > m[last][best])) {
                    best = j;
                }
            }
            order[step] = best;
            used[best] = true;
            last = best;
        }
        return order;
    }

    /** Mean overlap {@code M[order[t-1]][order[t]]} of consecutive batches in the given order. */
    public static double meanConsecutiveOverlap(double[][] m, int[] order) {
        if (order.length < 2) {
            return 0;
        }
        double s = 0;
        for (int t = 1; t < order.length; t++) {
            s += m[order[t - 1]][order[t]];
        }
        return s / (order.length - 1);
    }

    /** {@code m} with rows and columns permuted: {@code out[a][b] = m[order[a]][order[b]]} (the heat map after). */
    public static double[][] permute(double[][] m, int[] order) {
        int k = order.length;
        double[][] out = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                out[a][b] = m[order[a]][order[b]];
            }
        }
        return out;
    }

    /** The identity order {@code 0 .. k-1}. */
    public static int[] identity(int k) {
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = i;
        }
        return o;
    }
}
