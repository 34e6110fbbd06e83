package org.mlsysworkbench.algorithms.core.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: sizes, axes, broadcasting. */
final class Shape {

    private Shape() {
    }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape too large: " + Arrays.toString(shape));
        }
        return (int) n;
    }

    static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** Product of dims in {@code [from, to)}. */
    static int prod(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    static void requireSame(int[] a, int[] b, String what) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(what + ": shapes differ, " + Arrays.toString(a) + " vs "
                    + Arrays.toString(b));
        }
    }

    /** NumPy broadcasting of two shapes. */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(a) + " with "
                        + Arrays.toString(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Row-major strides of {@code in} seen in the rank of {@code out}, 0 along broadcast dims. */
    static int[] broadcastStrides(int[] in, int[] out) {
        int r = out.length;
        int[] s = new int[r];
        int stride = 1;
        for (int i = r - 1; i >= 0; i--) {
            int k = i - (r - in.length);
            int d = k >= 0 ? in[k] : 1;
            s[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return s;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
        }
        return s;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
