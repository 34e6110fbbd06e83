package org.mlsysworkbench.algorithms.graph.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * A drawable sample of a partitioned graph: up to {@code maxNodes} nodes grown breadth-first from one seed
 * per part (so each part's neighbourhood and the cut edges between parts appear), the edges among them, each
 * node's part and whether it is a boundary node (it has a neighbour in another part, in the whole graph), and
 * a Fruchterman-Reingold force-directed layout in [0, 1]^2 with a weak pull of each node towards its part's
 * centroid (a clustered layout: parts read as regions, cut edges cross between them). Deterministic for a seed; O(iterations * n^2), so
 * keep {@code maxNodes} at a few thousand at most. Immutable.
 *
 * @param nodes    global ids of the sampled nodes
 * @param x        layout x per sampled node, in [0, 1]
 * @param y        layout y per sampled node, in [0, 1]
 * @param part     part of each sampled node
 * @param boundary whether each sampled node has a neighbour in another part
 * @param edgeA    sampled edges (indices into {@code nodes}), each undirected edge once
 * @param edgeB    the other ends
 */
public record PartitionLayout(int[] nodes, float[] x, float[] y, int[] part, boolean[] boundary, int[] edgeA,
                              int[] edgeB) {

    /** Strength of the pull towards the part's centroid, relative to the centre pull (0.05). */
    static final double PART_PULL = 0.6;

    /** Samples and lays out {@code g} coloured by {@code p}. */
    public static PartitionLayout of(CsrGraph g, Partition p, int maxNodes, int iterations, long seed) {
        int n = g.numNodes();
        int take = Math.min(n, maxNodes);
        SplittableRandom r = new SplittableRandom(seed);
        int[] index = new int[n];
        Arrays.fill(index, -1);
        List<Integer> picked = new ArrayList<>();
        List<ArrayDeque<Integer>> queues = new ArrayList<>();
        for (int q = 0; q < p.parts(); q++) {
            int[] members = p.nodesOf(q);
            ArrayDeque<Integer> dq = new ArrayDeque<>();
            if (members.length > 0) {
                dq.add(members[r.nextInt(members.length)]);
            }
            queues.add(dq);
        }
        // round-robin BFS over the parts, so every part gets about the same share of the sample
        boolean progress = true;
        while (picked.size() < take && progress) {
            progress = false;
            for (ArrayDeque<Integer> dq : queues) {
                while (!dq.isEmpty() && picked.size() < take) {
                    int v = dq.poll();
                    if (index[v] >= 0) {
                        continue;
                    }
                    index[v] = picked.size();
                    picked.add(v);
                    for (int u : g.neighbours(v)) {
                        if (index[u] < 0) {
                            dq.add(u);
                        }
                    }
                    progress = true;
                    break;
                }
            }
            if (!progress && picked.size() < take) {
                // every queue ran dry (disconnected graph): restart from an unpicked node
                for (int v = r.nextInt(n), k = 0; k < n; k++, v = (v + 1) % n) {
                    if (index[v] < 0) {
                        queues.get(p.partOf(v)).add(v);
                        progress = true;
                        break;
                    }
                }
            }
        }
        int m = picked.size();
        int[] nodes = picked.stream().mapToInt(Integer::intValue).toArray();
        int[] part = new int[m];
        boolean[] boundary = new boolean[m];
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int v = nodes[i];
            part[i] = p.partOf(v);
            for (int u : g.neighbours(v)) {
                boundary[i] |= p.partOf(u) != part[i];
                if (index[u] > i) {
                    edges.add(new int[] {i, index[u]});
                }
            }
        }
        int[] ea = edges.stream().mapToInt(e -> e[0]).toArray();
        int[] eb = edges.stream().mapToInt(e -> e[1]).toArray();
        float[][] xy = forceLayout(m, ea, eb, part, p.parts(), iterations, r);
        return new PartitionLayout(nodes, xy[0], xy[1], part, boundary, ea, eb);
    }

    /**
     * Fruchterman-Reingold: repulsion k^2 / d between all pairs, attraction d^2 / k along edges, a cooling
     * step cap; starts with each part around its own point on a circle so parts separate quickly.
     */
    static float[][] forceLayout(int m, int[] ea, int[] eb, int[] part, int parts, int iterations,
                                 SplittableRandom r) {
        double[] x = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double a = 2 * Math.PI * part[i] / Math.max(1, parts);
            x[i] = 0.5 + 0.3 * Math.cos(a) + 0.1 * (r.nextDouble() - 0.5);
            y[i] = 0.5 + 0.3 * Math.sin(a) + 0.1 * (r.nextDouble() - 0.5);
        }
        double k = Math.sqrt(1.0 / Math.max(1, m));
        double[] dx = new double[m];
        double[] dy = new double[m];
        double temp = 0.1;
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(dx, 0);
            Arrays.fill(dy, 0);
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    double ux = x[i] - x[j];
                    double uy = y[i] - y[j];
                    double d2 = Math.max(1e-9, ux * ux + uy * uy);
                    double f = k * k / d2;
                    dx[i] += ux * f;
                    dy[i] += uy * f;
                    dx[j] -= ux * f;
                    dy[j] -= uy * f;
                }
            }
            for (int e = 0; e < ea.length; e++) {
                int i = ea[e];
                int j = eb[e];
                double ux = x[i] - x[j];
                double uy = y[i] - y[j];
                double d = Math.sqrt(ux * ux + uy * uy);
                double f = d / k;
                dx[i] -= ux * f;
                dy[i] -= uy * f;
                dx[j] += ux * f;
                dy[j] += uy * f;
            }
            double[] cx = new double[parts];
            double[] cy = new double[parts];
            int[] cn = new int[parts];
            for (int i = 0; i < m; i++) {
                cx[part[i]] += x[i];
                cy[part[i]] += y[i];
                cn[part[i]]++;
            }
            for (int i = 0; i < m; i++) {
                // weak pulls to the centre (keeps disconnected pieces on the canvas) and to the part's centroid
                int q = part[i];
                dx[i] += (0.5 - x[i]) * 0.05 / k + (cx[q] / cn[q] - x[i]) * PART_PULL / k;
                dy[i] += (0.5 - y[i]) * 0.05 / k + (cy[q] / cn[q] - y[i]) * PART_PULL / k;
                double len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
                if (len > 0) {
                    double step = Math.min(len, temp);
                    x[i] += dx[i] / len * step;
                    y[i] += dy[i] / len * step;
                }
            }
            temp = Math.max(0.002, temp * 0.97);
        }
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            minX = Math.min(minX, x[i]);
            maxX = Math.max(maxX, x[i]);
            minY = Math.min(minY, y[i]);
            maxY = Math.max(maxY, y[i]);
        }
        float[][] out = new float[2][m];
        for (int i = 0; i < m; i++) {
            out[0][i] = (float) ((x[i] - minX) / Math.max(1e-12, maxX - minX));
            out[1][i] = (float) ((y[i] - minY) / Math.max(1e-12, maxY - minY));
        }
        return out;
    }
}
