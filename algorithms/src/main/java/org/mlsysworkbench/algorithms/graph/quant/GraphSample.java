package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.ForceLayout;

/**
 * A connected sample of a graph with a force-directed layout, for drawing nodes coloured by their learned bits:
 * breadth-first from the highest-degree node until {@code maxNodes} nodes are taken, the induced edges, and
 * {@link ForceLayout} positions in [0, 1]^2 (computed here, on the experiment's thread, never on the GUI's).
 *
 * @param nodes node ids of the sample (global)
 * @param edgeA local index of each edge's first end
 * @param edgeB local index of each edge's second end
 * @param x     layout x in [0, 1] per sample node
 * @param y     layout y in [0, 1] per sample node
 */
public record GraphSample(int[] nodes, int[] edgeA, int[] edgeB, double[] x, double[] y) {

    /** Samples and lays out up to {@code maxNodes} nodes ({@code iterations} force steps, seeded start). */
    public static GraphSample of(CsrGraph g, int maxNodes, int iterations, long seed) {
        int n = g.numNodes();
        int start = 0;
        for (int v = 1; v < n; v++) {
            if (g.degree(v) > g.degree(start)) {
                start = v;
            }
        }
        int[] local = new int[n];
        Arrays.fill(local, -1);
        List<Integer> taken = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        local[start] = 0;
        taken.add(start);
        while (!queue.isEmpty() && taken.size() < maxNodes) {
            int v = queue.poll();
            for (int u : g.neighbours(v)) {
                if (local[u] < 0 && taken.size() < maxNodes) {
                    local[u] = taken.size();
                    taken.add(u);
                    queue.add(u);
                }
            }
        }
        int m = taken.size();
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int u : g.neighbours(taken.get(i))) {
                int j = local[u];
                if (j > i) {
                    edges.add(new int[] {i, j});
                }
            }
        }
        int[] a = new int[edges.size()];
        int[] b = new int[edges.size()];
        for (int e = 0; e < a.length; e++) {
            a[e] = edges.get(e)[0];
            b[e] = edges.get(e)[1];
        }
        double[][] pos = ForceLayout.layout(m, a, b, iterations, new SplittableRandom(seed));
        return new GraphSample(taken.stream().mapToInt(Integer::intValue).toArray(), a, b, pos[0], pos[1]);
    }
}
