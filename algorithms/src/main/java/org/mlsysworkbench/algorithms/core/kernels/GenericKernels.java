package org.mlsysworkbench.algorithms.core.kernels;

/**
 * Data-parallel building blocks several benches share (samplers, page selection, quantizers, trace
 * statistics), implemented once per backend: plain Java ({@link CpuGenericKernels}, the reference) and
 * Vulkan ({@code compute}). Integer results are exact and equal across backends. Implementations are not
 * required to be thread-safe; callers use one instance per thread.
 */
public interface GenericKernels {

    /** Short name for charts and CSV: "cpu", "vulkan". */
    String name();

    /**
     * Exclusive prefix sum: {@code out[0] = 0, out[i] = values[0] + ... + values[i-1]}, int32 with
     * two's-complement wrap-around (as Java's {@code +}).
     */
    int[] exclusiveScan(int[] values);

    /** Stream compaction: the {@code values[i]} with {@code flags[i] != 0}, in input order. */
    int[] compact(int[] values, int[] flags);

    /** {@code out[i] = source[indices[i]]}; every index must lie in [0, source.length). */
    float[] gather(float[] source, int[] indices);

    /**
     * {@code out[indices[i]] = values[i]} into a zeroed array of {@code size}; indices must be distinct
     * and in [0, size).
     */
    float[] scatter(float[] values, int[] indices, int size);

    /**
     * Indices of the {@code min(k, n)} largest values, largest first; ties go to the smaller index.
     * Values are ordered by {@link #sortKey(float)} (Float.compare's order for non-NaN values).
     */
    int[] topK(float[] values, int k);

    /**
     * Counts of {@code values} in {@code bins} equal-width bins over [lo, hi]: bin = (int) ((v - lo) * scale)
     * with {@code scale = bins / (hi - lo)} in float32, clamped to the last bin (so v == hi counts there);
     * values outside [lo, hi] and NaN are not counted.
     */
    int[] histogram(float[] values, float lo, float hi, int bins);

    /**
     * The unsigned order key of a float used by {@link #topK}: {@code bits ^ (sign ? 0xFFFFFFFF : 0x80000000)}.
     * Compare keys with {@link Integer#compareUnsigned}. -0.0 ranks below +0.0; positive NaN above +Inf.
     */
    static int sortKey(float v) {
        int u = Float.floatToRawIntBits(v);
        return u < 0 ? ~u : u | 0x80000000;
    }

    /** The float32 scale of {@link #histogram}; throws when the range or bin count is unusable. */
    static float histogramScale(float lo, float hi, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("histogram: bins must be >= 1, got " + bins);
        }
        if (!(hi > lo) || Float.isInfinite(hi - lo)) {
            throw new IllegalArgumentException("histogram: need finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        return bins / (hi - lo);
    }

    /** Throws naming the first index outside [0, size). */
    static void requireIndices(int[] indices, int size, String op) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size) {
                throw new IllegalArgumentException(op + ": indices[" + i + "] = " + indices[i] + " is outside [0, "
                        + size + ")");
            }
        }
    }

    /** Throws naming the first repeated index (indices already in range). */
    static void requireDistinct(int[] indices, int size, String op) {
        long[] seen = new long[(size + 63) / 64];
        for (int i = 0; i < indices.length; i++) {
            int v = indices[i];
            if ((seen[v >>> 6] & 1L << v) != 0) {
                throw new IllegalArgumentException(op + ": indices[" + i + "] = " + v + " repeats an earlier index");
            }
            seen[v >>> 6] |= 1L << v;
        }
    }
}
