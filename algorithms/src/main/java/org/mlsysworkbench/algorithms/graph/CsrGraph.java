package org.mlsysworkbench.algorithms.graph;

import java.util.Arrays;

/**
 * An immutable directed graph in compressed sparse row form, stored by destination: row {@code v} lists the
 * <em>in-neighbours</em> of {@code v} (the sources of edges {@code u -> v}), sorted ascending, as FastGL's and
 * DGL's samplers expect (the "CSC" of the adjacency matrix). An undirected graph stores each edge in both
 * directions, so rows are then plain neighbour lists.
 *
 * <p>Layout: node ids are {@code int} in {@code [0, numNodes)}. Row {@code v} occupies positions
 * {@code [rowStart(v), rowStart(v) + degree(v))} of the neighbour store. When the edge count fits in an
 * {@code int}, offsets are an {@code int[numNodes + 1]} and the neighbours one {@code int[numEdges]};
 * larger graphs switch to {@code long} offsets and neighbour chunks of {@code 2^30} ids, so a graph is
 * limited by memory, not by Java's array length. Code that wants raw arrays for a hot loop checks
 * {@link #isCompact()} and uses {@link #offsets()} and {@link #indices()}.
 *
 * <p>Thread-safe (immutable). Memory: {@link #bytes()}.
 */
public final class CsrGraph {

    /** Neighbour-chunk size (log2) of large graphs. */
    static final int DEFAULT_CHUNK_BITS = 30;

    private final int numNodes;
    private final long numEdges;
    // compact form (numEdges <= Integer.MAX_VALUE): offsets and one neighbour array
    private final int[] offsets;
    // large form: long offsets; neighbours in chunks of 2^chunkBits
    private final long[] longOffsets;
    private final int[][] chunks;
    private final int chunkBits;
    private final long chunkMask;

    private CsrGraph(int numNodes, long numEdges, int[] offsets, long[] longOffsets, int[][] chunks, int chunkBits) {
        this.numNodes = numNodes;
        this.numEdges = numEdges;
        this.offsets = offsets;
        this.longOffsets = longOffsets;
        this.chunks = chunks;
        this.chunkBits = chunkBits;
        this.chunkMask = (1L << chunkBits) - 1;
    }

    /**
     * Wraps compact arrays without copying. The caller hands over ownership and must not change them.
     *
     * @param offsets {@code int[numNodes + 1]}, non-decreasing, {@code offsets[0] == 0}
     * @param indices {@code int[offsets[numNodes]]}, each in {@code [0, numNodes)}
     * @throws IllegalArgumentException when the arrays are inconsistent
     */
    public static CsrGraph of(int[] offsets, int[] indices) {
        if (offsets.length == 0 || offsets[0] != 0) {
            throw new IllegalArgumentException("offsets must start with 0 and have numNodes + 1 entries");
        }
        int n = offsets.length - 1;
        if (offsets[n] != indices.length) {
            throw new IllegalArgumentException("offsets[numNodes] = " + offsets[n] + " but " + indices.length
                    + " neighbour ids were given");
        }
        for (int v = 0; v < n; v++) {
            if (offsets[v + 1] < offsets[v]) {
                throw new IllegalArgumentException("offsets decrease at node " + v);
            }
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IllegalArgumentException("neighbour id " + indices[i] + " at position " + i
                        + " outside [0, " + n + ")");
            }
        }
        return new CsrGraph(n, indices.length, offsets, null, new int[][] {indices}, DEFAULT_CHUNK_BITS);
    }

    /**
     * Wraps the large form without copying: {@code long} offsets and neighbour chunks of {@code 2^chunkBits}
     * ids each (the last chunk holds the rest). Used above {@code 2^30} edges by {@link GraphBuilder} and
     * the binary cache.
     *
     * @throws IllegalArgumentException when offsets, chunk sizes or ids are inconsistent
     */
    public static CsrGraph ofChunks(long[] offsets, int[][] chunks, int chunkBits) {
        if (offsets.length == 0 || offsets[0] != 0 || chunkBits < 1 || chunkBits > 30) {
            throw new IllegalArgumentException("offsets must start with 0; chunkBits in [1, 30]");
        }
        int n = offsets.length - 1;
        long m = offsets[n];
        long held = 0;
        for (int c = 0; c < chunks.length; c++) {
            boolean last = c == chunks.length - 1;
            if (!last && chunks[c].length != 1 << chunkBits || chunks[c].length > 1 << chunkBits) {
                throw new IllegalArgumentException("chunk " + c + " has " + chunks[c].length + " ids, expected "
                        + (1 << chunkBits));
            }
            held += chunks[c].length;
        }
        if (held != m) {
            throw new IllegalArgumentException("offsets[numNodes] = " + m + " but " + held + " ids were given");
        }
        for (int v = 0; v < n; v++) {
            if (offsets[v + 1] < offsets[v]) {
                throw new IllegalArgumentException("offsets decrease at node " + v);
            }
        }
        for (int[] c : chunks) {
            for (int id : c) {
                if (id < 0 || id >= n) {
                    throw new IllegalArgumentException("neighbour id " + id + " outside [0, " + n + ")");
                }
            }
        }
        return new CsrGraph(n, m, null, offsets, chunks, chunkBits);
    }

    public int numNodes() {
        return numNodes;
    }

    /** Number of stored (directed) edges; an undirected edge counts twice. */
    public long numEdges() {
        return numEdges;
    }

    /** In-degree of {@code v}: the length of its row. */
    public int degree(int v) {
        return offsets != null ? offsets[v + 1] - offsets[v] : (int) (longOffsets[v + 1] - longOffsets[v]);
    }

    /** Position of the first in-neighbour of {@code v} in the neighbour store. */
    public long rowStart(int v) {
        return offsets != null ? offsets[v] : longOffsets[v];
    }

    /** The neighbour id at a position of the neighbour store. */
    public int neighbourAt(long position) {
        return chunks[(int) (position >>> chunkBits)][(int) (position & chunkMask)];
    }

    /** The {@code k}-th in-neighbour of {@code v} ({@code 0 <= k < degree(v)}). */
    public int neighbour(int v, int k) {
        return neighbourAt(rowStart(v) + k);
    }

    /** A copy of the in-neighbours of {@code v}, ascending. */
    public int[] neighbours(int v) {
        int d = degree(v);
        int[] out = new int[d];
        long s = rowStart(v);
        if (offsets != null) {
            System.arraycopy(chunks[0], (int) s, out, 0, d);
        } else {
            for (int k = 0; k < d; k++) {
                out[k] = neighbourAt(s + k);
            }
        }
        return out;
    }

    /** True when {@code u -> v} is an edge (binary search in the sorted row of {@code v}). */
    public boolean hasEdge(int u, int v) {
        long lo = rowStart(v);
        long hi = lo + degree(v) - 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            int w = neighbourAt(mid);
            if (w < u) {
                lo = mid + 1;
            } else if (w > u) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** True when offsets are {@code int} and the neighbours one array ({@code numEdges <= 2^31 - 1}). */
    public boolean isCompact() {
        return offsets != null;
    }

    /** The compact offsets, {@code int[numNodes + 1]}; not a copy, do not modify. */
    public int[] offsets() {
        requireCompact();
        return offsets;
    }

    /** The compact neighbour array, {@code int[numEdges]}; not a copy, do not modify. */
    public int[] indices() {
        requireCompact();
        return chunks[0];
    }

    /** Offsets as {@code long[numNodes + 1]} (a copy in the compact form). */
    public long[] longOffsets() {
        if (longOffsets != null) {
            return longOffsets.clone();
        }
        long[] out = new long[numNodes + 1];
        for (int i = 0; i <= numNodes; i++) {
            out[i] = offsets[i];
        }
        return out;
    }

    private void requireCompact() {
        if (offsets == null) {
            throw new IllegalStateException("graph has " + numEdges + " edges; use rowStart/neighbourAt");
        }
    }

    /** Largest in-degree. */
    public int maxDegree() {
        int max = 0;
        for (int v = 0; v < numNodes; v++) {
            max = Math.max(max, degree(v));
        }
        return max;
    }

    /** Mean in-degree, {@code numEdges / numNodes}. */
    public double meanDegree() {
        return numNodes == 0 ? 0 : (double) numEdges / numNodes;
    }

    /** Nodes with no in-neighbour. */
    public int isolatedNodes() {
        int c = 0;
        for (int v = 0; v < numNodes; v++) {
            if (degree(v) == 0) {
                c++;
            }
        }
        return c;
    }

    /** {@code hist[d]} = number of nodes with in-degree {@code d}, for {@code d <= maxDegree()}. */
    public long[] degreeHistogram() {
        long[] hist = new long[maxDegree() + 1];
        for (int v = 0; v < numNodes; v++) {
            hist[degree(v)]++;
        }
        return hist;
    }

    /** The in-degree at quantile {@code q} in [0, 1] (nearest rank). */
    public int degreeQuantile(double q) {
        long[] hist = degreeHistogram();
        long rank = Math.max(1, (long) Math.ceil(q * numNodes));
        long seen = 0;
        for (int d = 0; d < hist.length; d++) {
            seen += hist[d];
            if (seen >= rank) {
                return d;
            }
        }
        return hist.length - 1;
    }

    /** True when every edge {@code u -> v} has its reverse {@code v -> u}. */
    public boolean isSymmetric() {
        for (int v = 0; v < numNodes; v++) {
            long s = rowStart(v);
            int d = degree(v);
            for (int k = 0; k < d; k++) {
                if (!hasEdge(v, neighbourAt(s + k))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Heap bytes of the offsets and neighbour arrays. */
    public long bytes() {
        long b = offsets != null ? 4L * offsets.length : 8L * longOffsets.length;
        for (int[] c : chunks) {
            b += 4L * c.length;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CsrGraph g) || g.numNodes != numNodes || g.numEdges != numEdges) {
            return false;
        }
        for (int v = 0; v <= numNodes; v++) {
            long a = v == numNodes ? numEdges : rowStart(v);
            if (a != (v == numNodes ? g.numEdges : g.rowStart(v))) {
                return false;
            }
        }
        for (long p = 0; p < numEdges; p++) {
            if (neighbourAt(p) != g.neighbourAt(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(numNodes) * 31 + Long.hashCode(numEdges);
        if (offsets != null) {
            h = h * 31 + Arrays.hashCode(offsets);
        }
        return h;
    }

    @Override
    public String toString() {
        return "CsrGraph[" + numNodes + " nodes, " + numEdges + " edges]";
    }
}
