package org.mlsysworkbench.algorithms.graph.distributed;

import org.mlsysworkbench.algorithms.graph.sampling.CounterRng;

/**
 * The reference {@link LowBitKernels} (CPU twin of {@code graph/quantize_rows.comp} and
 * {@code graph/dequantize_rows.comp}). Per row:
 * <pre>
 *   lo = min_j x_j, range = max_j x_j - lo, L = 2^bits - 1
 *   u_j = (draw(seed, node, j) >>> 8) * 2^-24                       (24 random bits, exact in float)
 *   s_j = (x_j - lo) * L + u_j * range                              (each op rounded once, no fma)
 *   q_j = the largest k in [0, L] with k * range <= s_j             (= floor((x_j - lo) / range * L + u_j))
 *   decode:  x^_j = lo' + q_j * (range' * (1 / L))                  (lo', range': as sent, bfloat16 or fp32)
 * </pre>
 * E[q_j] = (x_j - lo) / range * L, so the decode is unbiased up to the rounding of the side information.
 * A constant row (range = 0) sends q = 0 everywhere and decodes to lo'. The search for q uses only products
 * and comparisons, so it does not depend on how a device rounds division. Stateless; thread-safe.
 */
public final class CpuLowBitKernels implements LowBitKernels {

    private static final float TWO_M24 = 0x1p-24f;

    @Override
    public LowBitMessage quantize(float[] x, int rows, int d, int[] nodes, int bits, LowBitCodec.Side side, int seed) {
        check(bits);
        int wpr = LowBitMessage.wordsPerRow(d, bits);
        float[] loSent = new float[rows];
        float[] rangeSent = new float[rows];
        int[] words = new int[rows * wpr];
        int levels = (1 << bits) - 1;
        float levelsF = levels;
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) {
                lo = Math.min(lo, x[o + j]);
                hi = Math.max(hi, x[o + j]);
            }
            if (d == 0) {
                lo = 0;
                hi = 0;
            }
            float range = hi - lo;
            loSent[r] = sent(lo, side);
            rangeSent[r] = sent(range, side);
            if (!(range > 0)) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                int q = code(x[o + j], lo, range, levels, levelsF, uniform(seed, nodes[r], j));
                words[r * wpr + ((j * bits) >>> 5)] |= q << ((j * bits) & 31);
            }
        }
        return new LowBitMessage(rows, d, bits, side, seed, loSent, rangeSent, words);
    }

    @Override
    public void dequantize(LowBitMessage m, float[] out) {
        float inv = 1f / ((1 << m.bits()) - 1);
        for (int r = 0; r < m.rows(); r++) {
            float step = m.range()[r] * inv;
            float lo = m.lo()[r];
            for (int j = 0; j < m.d(); j++) {
                out[r * m.d() + j] = lo + m.code(r, j) * step;
            }
        }
    }

    /** The uniform draw in [0, 1) for (seed, node, channel): 24 bits of the counter hash. */
    public static float uniform(int seed, int node, int channel) {
        return (CounterRng.draw(seed, node, channel) >>> 8) * TWO_M24;
    }

    /** The code of one value (see the class comment); range > 0. */
    static int code(float x, float lo, float range, int levels, float levelsF, float u) {
        float t = (x - lo) * levelsF;
        float s = t + u * range;
        // an estimate, then exact correction by products (division rounding may differ between devices)
        int k = (int) (s / range);
        k = Math.max(0, Math.min(levels, k));
        while (k < levels && (k + 1) * range <= s) {
            k++;
        }
        while (k > 0 && k * range > s) {
            k--;
        }
        return k;
    }

    static float sent(float v, LowBitCodec.Side side) {
        return side == LowBitCodec.Side.BFLOAT16 ? LowBitCodec.bf16(v) : v;
    }

    static void check(int bits) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("quantized message bits must be 1, 2, 4 or 8, got " + bits);
        }
    }
}
