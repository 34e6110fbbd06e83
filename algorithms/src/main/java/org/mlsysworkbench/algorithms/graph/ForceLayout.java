package org.mlsysworkbench.algorithms.graph;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fruchterman-Reingold force-directed layout of a small graph in [0, 1]^2, for drawing samples of a graph in
 * the views (computed on the experiment's thread, never on the GUI's). Repulsion {@code k^2 / d} between all
 * pairs, attraction {@code d^2 / k} along edges, a step cap that cools geometrically, a weak pull to the centre
 * (keeps disconnected pieces on the canvas) and, when nodes belong to groups, a pull towards the group's
 * centroid (a clustered layout: groups read as regions). Deterministic for a random stream; O(iterations * n^2),
 * so keep the graph at a few thousand nodes at most.
 */
public final class ForceLayout {

    /** Pull towards the canvas centre, relative to the spring constant. */
    static final double CENTRE_PULL = 0.05;

    private ForceLayout() {
    }

    /** Layout without groups: random start in the unit square. Returns {x[], y[]} rescaled to [0, 1]. */
    public static double[][] layout(int m, int[] edgeA, int[] edgeB, int iterations, SplittableRandom r) {
        return layout(m, edgeA, edgeB, null, 0, 0, iterations, r);
    }

    /**
     * Layout with groups: each group starts around its own point on a circle and is pulled towards its centroid
     * with strength {@code groupPull} (0 for none).
     *
     * @param group group of each node, in [0, groups), or null for none
     * @return {x[], y[]}, each rescaled to [0, 1]
     */
    public static double[][] layout(int m, int[] edgeA, int[] edgeB, int[] group, int groups, double groupPull,
                                    int iterations, SplittableRandom r) {
        double[] x = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            if (group == null) {
                x[i] = r.nextDouble();
                y[i] = r.nextDouble();
            } else {
                double a = 2 * Math.PI * group[i] / Math.max(1, groups);
                x[i] = 0.5 + 0.3 * Math.cos(a) + 0.1 * (r.nextDouble() - 0.5);
                y[i] = 0.5 + 0.3 * Math.sin(a) + 0.1 * (r.nextDouble() - 0.5);
            }
        }
        double k = Math.sqrt(1.0 / Math.max(1, m));
        double[] dx = new double[m];
        double[] dy = new double[m];
        double[] cx = new double[Math.max(1, groups)];
        double[] cy = new double[cx.length];
        int[] cn = new int[cx.length];
        double temp = 0.1;
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(dx, 0);
            Arrays.fill(dy, 0);
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    double ux = x[i] - x[j];
                    double uy = y[i] - y[j];
                    double f = k * k / Math.max(1e-9, ux * ux + uy * uy);
                    dx[i] += ux * f;
                    dy[i] += uy * f;
                    dx[j] -= ux * f;
                    dy[j] -= uy * f;
                }
            }
            for (int e = 0; e < edgeA.length; e++) {
                int i = edgeA[e];
                int j = edgeB[e];
                double ux = x[i] - x[j];
                double uy = y[i] - y[j];
                double f = Math.sqrt(ux * ux + uy * uy) / k;
                dx[i] -= ux * f;
                dy[i] -= uy * f;
                dx[j] += ux * f;
                dy[j] += uy * f;
            }
            if (group != null) {
                Arrays.fill(cx, 0);
                Arrays.fill(cy, 0);
                Arrays.fill(cn, 0);
                for (int i = 0; i < m; i++) {
                    cx[group[i]] += x[i];
                    cy[group[i]] += y[i];
                    cn[group[i]]++;
                }
            }
            for (int i = 0; i < m; i++) {
                dx[i] += (0.5 - x[i]) * CENTRE_PULL / k;
                dy[i] += (0.5 - y[i]) * CENTRE_PULL / k;
                if (group != null) {
                    int q = group[i];
                    dx[i] += (cx[q] / cn[q] - x[i]) * groupPull / k;
                    dy[i] += (cy[q] / cn[q] - y[i]) * groupPull / k;
                }
                double len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
                if (len > 0) {
                    double step = Math.min(len, temp);
                    x[i] += dx[i] / len * step;
                    y[i] += dy[i] / len * step;
                }
            }
            temp = Math.max(0.002, temp * 0.97);
        }
        return new double[][] {rescale(x), rescale(y)};
    }

    private static double[] rescale(double[] v) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        double span = hi > lo ? hi - lo : 1;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - lo) / span;
        }
        return out;
    }
}
