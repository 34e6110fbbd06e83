package org.mlsysworkbench.algorithms.graph;

import java.util.Arrays;

/**
 * A growable list of directed edges {@code src -> dst} over int node ids, kept as two parallel int arrays
 * (8 bytes per edge, no boxing). Loaders and generators fill one, and {@link GraphBuilder} turns it into a
 * {@link CsrGraph}. Not thread-safe.
 */
public final class EdgeList {

    private int[] src;
    private int[] dst;
    private int size;

    public EdgeList() {
        this(16);
    }

    public EdgeList(int initialCapacity) {
        src = new int[Math.max(1, initialCapacity)];
        dst = new int[Math.max(1, initialCapacity)];
    }

    /** Wraps filled arrays without copying; the list owns them afterwards. */
    public static EdgeList wrap(int[] src, int[] dst, int size) {
        if (src.length < size || dst.length < size) {
            throw new IllegalArgumentException("arrays shorter than size " + size);
        }
        EdgeList e = new EdgeList(1);
        e.src = src;
        e.dst = dst;
        e.size = size;
        return e;
    }

    public void add(int from, int to) {
        if (size == src.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(16L, src.length * 3L / 2));
            if (cap <= size) {
                throw new IllegalStateException("edge list is full at " + size + " edges");
            }
            src = Arrays.copyOf(src, cap);
            dst = Arrays.copyOf(dst, cap);
        }
        src[size] = from;
        dst[size] = to;
        size++;
    }

    public int size() {
        return size;
    }

    public int src(int i) {
        return src[i];
    }

    public int dst(int i) {
        return dst[i];
    }

    /** The backing source array (length may exceed {@link #size()}); not a copy. */
    int[] srcArray() {
        return src;
    }

    /** The backing destination array (length may exceed {@link #size()}); not a copy. */
    int[] dstArray() {
        return dst;
    }

    /** Largest id seen as source or destination, or -1 when empty. */
    public int maxId() {
        int m = -1;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, Math.max(src[i], dst[i]));
        }
        return m;
    }

    /** Drops the backing arrays; the list is empty afterwards (frees memory before a large CSR build). */
    public void clear() {
        src = new int[1];
        dst = new int[1];
        size = 0;
    }
}
