package org.mlsysworkbench.algorithms.graph.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.ForceLayout;

/**
 * A drawable sample of a partitioned graph: up to {@code maxNodes} nodes grown breadth-first from one seed
 * per part (so each part's neighbourhood and the cut edges between parts appear), the edges among them, each
 * node's part and whether it is a boundary node (it has a neighbour in another part, in the whole graph), and
 * a {@link ForceLayout} in [0, 1]^2 with a pull of each node towards its part's centroid (a clustered layout:
 * parts read as regions, cut edges cross between them). Deterministic for a seed; O(iterations * n^2), so
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

    /** Strength of the pull towards the part's centroid (the centre pull is 0.05). */
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
        double[][] xy = ForceLayout.layout(m, ea, eb, part, p.parts(), PART_PULL, iterations, r);
        float[] x = new float[m];
        float[] y = new float[m];
        for (int i = 0; i < m; i++) {
            x[i] = (float) xy[0][i];
            y[i] = (float) xy[1][i];
        }
        return new PartitionLayout(nodes, x, y, part, boundary, ea, eb);
    }
}
