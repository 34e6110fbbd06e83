package org.mlsysworkbench.algorithms.graph.partition;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * Graph partitioners. {@link #random} is the baseline (most edges become cut edges);
 * {@link #labelPropagation} grows parts from BFS seeds and then moves nodes to the part most of their
 * neighbours are in, under a balance cap, which cuts far fewer edges on graphs with community structure.
 * Deterministic for a seed; stateless.
 */
public final class Partitioners {

    private Partitioners() {
    }

    /** Each node to a uniformly random part. */
    public static Partition random(int nodes, int parts, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] a = new int[nodes];
        for (int v = 0; v < nodes; v++) {
            a[v] = r.nextInt(parts);
        }
        return new Partition(parts, a);
    }

    /**
     * Balanced label propagation: start from contiguous BFS-order blocks (neighbours tend to share a
     * block), then for {@code rounds} sweeps move each node to the part holding most of its neighbours,
     * if that part stays under {@code (1 + imbalance)} times the mean size.
     */
    public static Partition labelPropagation(CsrGraph g, int parts, long seed, int rounds, double imbalance) {
        int n = g.numNodes();
        int[] order = bfsOrder(g, seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[order[i]] = (int) ((long) i * parts / n);
        }
        int[] size = new int[parts];
        for (int p : a) {
            size[p]++;
        }
        int cap = (int) Math.ceil((1 + imbalance) * n / (double) parts);
        int[] count = new int[parts];
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int round = 0; round < rounds; round++) {
            int moved = 0;
            int start = r.nextInt(Math.max(1, n));
            for (int k = 0; k < n; k++) {
                int v = (start + k) % n;
                java.util.Arrays.fill(count, 0);
                for (int u : g.neighbours(v)) {
                    count[a[u]]++;
                }
                int best = a[v];
                for (int p = 0; p < parts; p++) {
                    if (count[p] > count[best] && size[p] + 1 <= cap) {
                        best = p;
                    }
                }
                if (best != a[v]) {
                    size[a[v]]--;
                    size[best]++;
                    a[v] = best;
                    moved++;
                }
            }
            if (moved == 0) {
                break;
            }
        }
        return new Partition(parts, a);
    }

    /** Nodes in breadth-first order, restarting from the lowest unvisited id; the first root is seeded. */
    static int[] bfsOrder(CsrGraph g, long seed) {
        int n = g.numNodes();
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        int head = 0;
        int tail = 0;
        int root = n == 0 ? 0 : new SplittableRandom(seed).nextInt(n);
        int next = 0;
        while (tail < n) {
            if (head == tail) {
                while (seen[root]) {
                    root = next++;
                }
                seen[root] = true;
                order[tail++] = root;
            }
            int v = order[head++];
            for (int u : g.neighbours(v)) {
                if (!seen[u]) {
                    seen[u] = true;
                    order[tail++] = u;
                }
            }
        }
        return order;
    }
}
