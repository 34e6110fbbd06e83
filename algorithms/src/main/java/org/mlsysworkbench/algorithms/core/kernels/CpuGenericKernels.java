package org.mlsysworkbench.algorithms.core.kernels;

import java.util.Arrays;
import java.util.PriorityQueue;

/** Plain-Java {@link GenericKernels}: the reference the Vulkan versions are checked against. Thread-safe. */
public final class CpuGenericKernels implements GenericKernels {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int[] exclusiveScan(int[] values) {
        int[] out = new int[values.length];
        int run = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = run;
            run += values[i];
        }
        return out;
    }

    @Override
    public int[] compact(int[] values, int[] flags) {
        if (values.length != flags.length) {
            throw new IllegalArgumentException("compact: " + values.length + " values but " + flags.length + " flags");
        }
        int[] out = new int[values.length];
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (flags[i] != 0) {
                out[count++] = values[i];
            }
        }
        return Arrays.copyOf(out, count);
    }

    @Override
    public float[] gather(float[] source, int[] indices) {
        GenericKernels.requireIndices(indices, source.length, "gather");
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = source[indices[i]];
        }
        return out;
    }

    @Override
    public float[] scatter(float[] values, int[] indices, int size) {
        if (values.length != indices.length) {
            throw new IllegalArgumentException("scatter: " + values.length + " values but " + indices.length
                    + " indices");
        }
        GenericKernels.requireIndices(indices, size, "scatter");
        GenericKernels.requireDistinct(indices, size, "scatter");
        float[] out = new float[size];
        for (int i = 0; i < indices.length; i++) {
            out[indices[i]] = values[i];
        }
        return out;
    }

    /** A size-k min-heap over (key, index): O(n log k). */
    @Override
    public int[] topK(float[] values, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("topK: k must be >= 0, got " + k);
        }
        int m = Math.min(k, values.length);
        if (m == 0) {
            return new int[0];
        }
        // heap head = the candidate that ranks lowest
        PriorityQueue<Integer> heap = new PriorityQueue<>(m, (a, b) -> ranksAbove(values, a, b) ? 1 : -1);
        for (int i = 0; i < values.length; i++) {
            if (heap.size() < m) {
                heap.add(i);
            } else if (ranksAbove(values, i, heap.peek())) {
                heap.poll();
                heap.add(i);
            }
        }
        int[] out = new int[m];
        for (int j = m - 1; j >= 0; j--) {
            out[j] = heap.poll();
        }
        return out;
    }

    private static boolean ranksAbove(float[] v, int a, int b) {
        int c = Integer.compareUnsigned(GenericKernels.sortKey(v[a]), GenericKernels.sortKey(v[b]));
        return c > 0 || c == 0 && a < b;
    }

    @Override
    public int[] histogram(float[] values, float lo, float hi, int bins) {
        float scale = GenericKernels.histogramScale(lo, hi, bins);
        int[] counts = new int[bins];
        for (float v : values) {
            if (v >= lo && v <= hi) {
                float t = (v - lo) * scale;
                counts[Math.min((int) t, bins - 1)]++;
            }
        }
        return counts;
    }
}
