package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A procedural graph-classification data set for A2Q's graph-level path (Nearest Neighbour Strategy): small
 * undirected graphs (12 to 40 nodes) from three generators of similar mean degree (about 4), labelled by
 * generator:
 * <ol start="0">
 *   <li>Erdős–Rényi G(n, p) with p = 4 / (n - 1): Poisson degrees, few triangles;</li>
 *   <li>Barabási–Albert preferential attachment, 2 edges per new node: hubs of high degree;</li>
 *   <li>Watts–Strogatz ring lattice (4 neighbours) with 10 % of edges rewired: uniform degree, many triangles.</li>
 * </ol>
 * Node features: one-hot of {@code min(degree, 9)} (10 columns). Immutable after generation.
 */
public final class GraphClassDataset {

    /** Feature columns: one-hot degree 0..9 (9 means 9 or more). */
    public static final int FEATURES = 10;
    /** Number of classes (generators). */
    public static final int CLASSES = 3;

    /**
     * One graph: CSR adjacency ({@code ptr int[n + 1]}, {@code cols int[2m]}, both directions), features
     * {@code x float[n * FEATURES]} and its class.
     */
    public record Graph(int[] ptr, int[] cols, float[] x, int label) {
        public int nodes() {
            return ptr.length - 1;
        }

        public int degree(int v) {
            return ptr[v + 1] - ptr[v];
        }
    }

    private final List<Graph> graphs;

    private GraphClassDataset(List<Graph> graphs) {
        this.graphs = List.copyOf(graphs);
    }

    public List<Graph> graphs() {
        return graphs;
    }

    /** {@code count} graphs, classes in rotation, all randomness from {@code seed}. */
    public static GraphClassDataset generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Graph> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = i % CLASSES;
            int n = 12 + r.nextInt(29);
            List<Set<Integer>> adj = switch (label) {
                case 0 -> erdosRenyi(n, 4.0 / (n - 1), r);
                case 1 -> barabasiAlbert(n, 2, r);
                default -> wattsStrogatz(n, 4, 0.1, r);
            };
            out.add(toGraph(adj, label));
        }
        return new GraphClassDataset(out);
    }

    private static List<Set<Integer>> empty(int n) {
        List<Set<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adj.add(new java.util.TreeSet<>());
        }
        return adj;
    }

    private static void link(List<Set<Integer>> adj, int u, int v) {
        if (u != v) {
            adj.get(u).add(v);
            adj.get(v).add(u);
        }
    }

    static List<Set<Integer>> erdosRenyi(int n, double p, SplittableRandom r) {
        List<Set<Integer>> adj = empty(n);
        for (int u = 0; u < n; u++) {
            for (int v = u + 1; v < n; v++) {
                if (r.nextDouble() < p) {
                    link(adj, u, v);
                }
            }
        }
        return adj;
    }

    static List<Set<Integer>> barabasiAlbert(int n, int m, SplittableRandom r) {
        List<Set<Integer>> adj = empty(n);
        List<Integer> ends = new ArrayList<>();
        for (int u = 0; u <= m; u++) {
            for (int v = u + 1; v <= m; v++) {
                link(adj, u, v);
                ends.add(u);
                ends.add(v);
            }
        }
        for (int u = m + 1; u < n; u++) {
            Set<Integer> targets = new HashSet<>();
            while (targets.size() < m) {
                targets.add(ends.get(r.nextInt(ends.size())));
            }
            for (int v : new java.util.TreeSet<>(targets)) {
                link(adj, u, v);
                ends.add(u);
                ends.add(v);
            }
        }
        return adj;
    }

    static List<Set<Integer>> wattsStrogatz(int n, int k, double rewire, SplittableRandom r) {
        List<Set<Integer>> adj = empty(n);
        for (int u = 0; u < n; u++) {
            for (int s = 1; s <= k / 2; s++) {
                int v = (u + s) % n;
                if (r.nextDouble() < rewire) {
                    v = r.nextInt(n);
                }
                link(adj, u, v);
            }
        }
        return adj;
    }

    private static Graph toGraph(List<Set<Integer>> adj, int label) {
        int n = adj.size();
        int[] ptr = new int[n + 1];
        for (int v = 0; v < n; v++) {
            ptr[v + 1] = ptr[v] + adj.get(v).size();
        }
        int[] cols = new int[ptr[n]];
        float[] x = new float[n * FEATURES];
        for (int v = 0; v < n; v++) {
            int p = ptr[v];
            for (int u : adj.get(v)) {
                cols[p++] = u;
            }
            x[v * FEATURES + Math.min(adj.get(v).size(), FEATURES - 1)] = 1f;
        }
        return new Graph(ptr, cols, x, label);
    }
}
