package org.mlsysworkbench.algorithms.core.tensor;

/**
 * Maps a flat index of a broadcast (output) shape to the flat index of an input that broadcasts to it.
 * Inputs whose non-1 dims form one contiguous block use arithmetic ({@code (i / inner) % mid}); others
 * use a lookup table.
 */
final class Idx {

    private final boolean same;
    private final int inner;
    private final int mid;
    private final int[] table;

    private Idx(boolean same, int inner, int mid, int[] table) {
        this.same = same;
        this.inner = inner;
        this.mid = mid;
        this.table = table;
    }

    static Idx of(int[] in, int[] out) {
        int r = out.length;
        int outSize = Shape.size(out);
        int inSize = Shape.size(in);
        if (inSize == outSize) {
            return new Idx(true, 1, outSize, null);
        }
        int lo = -1;
        int hi = -1;
        boolean contiguous = true;
        for (int i = 0; i < r; i++) {
            int k = i - (r - in.length);
            int d = k >= 0 ? in[k] : 1;
            if (d != 1) {
                if (lo < 0) {
                    lo = i;
                } else if (hi != i) {
                    contiguous = false;
                }
                hi = i + 1;
            }
        }
        if (lo < 0) {
            return new Idx(false, 1, 1, null);
        }
        if (contiguous) {
            return new Idx(false, Shape.prod(out, hi, r), Shape.prod(out, lo, hi), null);
        }
        int[] strides = Shape.broadcastStrides(in, out);
        int[] table = new int[outSize];
        int[] counter = new int[r];
        int off = 0;
        for (int i = 0; i < outSize; i++) {
            table[i] = off;
            for (int a = r - 1; a >= 0; a--) {
                counter[a]++;
                off += strides[a];
                if (counter[a] < out[a]) {
                    break;
                }
                off -= strides[a] * out[a];
                counter[a] = 0;
            }
        }
        return new Idx(false, 1, 1, table);
    }

    int at(int i) {
        if (same) {
            return i;
        }
        if (table != null) {
            return table[i];
        }
        return (i / inner) % mid;
    }

    boolean identity() {
        return same;
    }

    /** True when {@link #at} is {@code (i / inner()) % mid()} (no lookup table). */
    boolean arithmetic() {
        return table == null;
    }

    int inner() {
        return same ? 1 : inner;
    }

    int mid() {
        return mid;
    }
}
