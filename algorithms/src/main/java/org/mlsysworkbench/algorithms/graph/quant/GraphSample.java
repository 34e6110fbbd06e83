package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * A connected sample of a graph with a force-directed layout, for drawing nodes coloured by their learned bits:
 * breadth-first from the highest-degree node until {@code maxNodes} nodes are taken, the induced edges, and
 * Fruchterman–Reingold positions in [0, 1]^2 (computed here, on the experiment's thread, never on the GUI's).
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
        double[][] pos = layout(m, a, b, iterations, new SplittableRandom(seed));
        return new GraphSample(taken.stream().mapToInt(Integer::intValue).toArray(), a, b, pos[0], pos[1]);
    }

    /** Fruchterman–Reingold in the unit square with linear cooling; positions rescaled to [0, 1]. */
    static double[][] layout(int m, int[] a, int[] b, int iterations, SplittableRandom r) {
        double[] x = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = r.nextDouble();
            y[i] = r.nextDouble();
        }
        double k = Math.sqrt(1.0 / Math.max(1, m));
        double[] dx = new double[m];
        double[] dy = new double[m];
        for (int it = 0; it < iterations; it++) {
            double temp = 0.1 * (1 - (double) it / iterations) + 1e-3;
            Arrays.fill(dx, 0);
            Arrays.fill(dy, 0);
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    double ddx = x[i] - x[j];
                    double ddy = y[i] - y[j];
                    double d2 = Math.max(1e-9, ddx * ddx + ddy * ddy);
                    double f = k * k / d2;
                    dx[i] += ddx * f;
                    dy[i] += ddy * f;
                    dx[j] -= ddx * f;
                    dy[j] -= ddy * f;
                }
            }
            for (int e = 0; e < a.length; e++) {
                double ddx = x[a[e]] - x[b[e]];
                double ddy = y[a[e]] - y[b[e]];
                double d = Math.sqrt(ddx * ddx + ddy * ddy);
                double f = d / k;
                dx[a[e]] -= ddx * f;
                dy[a[e]] -= ddy * f;
                dx[b[e]] += ddx * f;
                dy[b[e]] += ddy * f;
            }
            for (int i = 0; i < m; i++) {
                // gravity toward the centre keeps disconnected pieces in view
                dx[i] -= (x[i] - 0.5) * 0.05;
                dy[i] -= (y[i] - 0.5) * 0.05;
                double len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
                if (len > 0) {
                    double step = Math.min(len, temp);
                    x[i] += dx[i] / len * step;
                    y[i] += dy[i] / len * step;
                }
            }
        }
        return new double[][] {rescale(x), rescale(y)};
    }

    private static double[] rescale(double[] v) {
        double lo = Arrays.stream(v).min().orElse(0);
        double hi = Arrays.stream(v).max().orElse(1);
        double span = hi > lo ? hi - lo : 1;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - lo) / span;
        }
        return out;
    }
}
