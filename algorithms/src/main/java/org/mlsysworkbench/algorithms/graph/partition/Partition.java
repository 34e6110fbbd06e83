package org.mlsysworkbench.algorithms.graph.partition;

import java.util.Arrays;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * An assignment of every node to one of P parts, with the statistics that decide what distributed
 * training costs: edge cut (edges whose ends lie in different parts, each undirected edge counted once),
 * balance (largest part over the mean), and per part the local and boundary (halo) node counts, where
 * part p's boundary set B_p is the set of remote in-neighbours of its nodes. Immutable.
 */
public final class Partition {

    private final int parts;
    private final int[] part;

    public Partition(int parts, int[] part) {
        for (int v = 0; v < part.length; v++) {
            if (part[v] < 0 || part[v] >= parts) {
                throw new IllegalArgumentException("part[" + v + "]: expected 0.." + (parts - 1) + ", got " + part[v]);
            }
        }
        this.parts = parts;
        this.part = part.clone();
    }

    public int parts() {
        return parts;
    }

    public int partOf(int v) {
        return part[v];
    }

    /** The node ids of part p, ascending. */
    public int[] nodesOf(int p) {
        return java.util.stream.IntStream.range(0, part.length).filter(v -> part[v] == p).toArray();
    }

    public int[] sizes() {
        int[] s = new int[parts];
        for (int p : part) {
            s[p]++;
        }
        return s;
    }

    /** Largest part size over the mean part size (1 = perfectly balanced). */
    public double balance() {
        int max = Arrays.stream(sizes()).max().orElse(0);
        return part.length == 0 ? 1 : max / ((double) part.length / parts);
    }

    /** Undirected edges with ends in different parts (the graph is symmetric: each counted once). */
    public long edgeCut(CsrGraph g) {
        long cut = 0;
        for (int v = 0; v < g.numNodes(); v++) {
            for (int u : g.neighbours(v)) {
                if (u > v && part[u] != part[v]) {
                    cut++;
                }
            }
        }
        return cut;
    }

    /** |B_p| per part: distinct remote neighbours of the part's nodes. */
    public int[] boundarySizes(CsrGraph g) {
        int[] b = new int[parts];
        int[] seenBy = new int[g.numNodes()];
        Arrays.fill(seenBy, -1);
        for (int p = 0; p < parts; p++) {
            for (int v : nodesOf(p)) {
                for (int u : g.neighbours(v)) {
                    if (part[u] != p && seenBy[u] != p) {
                        seenBy[u] = p;
                        b[p]++;
                    }
                }
            }
        }
        return b;
    }

    /** A copy of the assignment. */
    public int[] assignment() {
        return part.clone();
    }
}
