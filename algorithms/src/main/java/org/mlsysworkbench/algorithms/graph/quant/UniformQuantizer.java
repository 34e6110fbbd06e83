package org.mlsysworkbench.algorithms.graph.quant;

/**
 * Per-tensor uniform quantization, the fixed-bitwidth baseline ("uniform 2/4/8 bits").
 * <pre>
 *   symmetric:  s = max|x| / (2^(b-1) - 1),          x_q = s * clamp(round(x / s), -qmax, qmax)
 *   affine:     s = (max - min) / (2^b - 1),  zp = clamp(round(-min / s), 0, 2^b - 1),
 *               x_q = s * (clamp(round(x / s + zp), 0, 2^b - 1) - zp)
 * </pre>
 * Gradients are straight-through, zero outside the representable range. Stateless; thread-safe.
 */
public final class UniformQuantizer {

    private UniformQuantizer() {
    }

    /** Symmetric fake quantization of x into out with the given bits (>= 2) and range max|x|. */
    public static void symmetric(float[] x, float[] out, int bits, float maxAbs) {
        if (bits < 2) {
            throw new IllegalArgumentException("symmetric quantization needs >= 2 bits, got " + bits);
        }
        int qmax = (1 << (bits - 1)) - 1;
        float s = maxAbs > 0 ? maxAbs / qmax : 1f;
        for (int i = 0; i < x.length; i++) {
            float q = Math.round(x[i] / s);
            out[i] = s * Math.max(-qmax, Math.min(qmax, q));
        }
    }

    /** Affine fake quantization of x into out with the range [min, max] (which must contain 0). */
    public static void affine(float[] x, float[] out, int bits, float min, float max) {
        float lo = Math.min(0f, min);
        float hi = Math.max(0f, max);
        int levels = (1 << bits) - 1;
        float s = hi > lo ? (hi - lo) / levels : 1f;
        float zp = Math.max(0, Math.min(levels, Math.round(-lo / s)));
        for (int i = 0; i < x.length; i++) {
            float q = Math.max(0, Math.min(levels, Math.round(x[i] / s + zp)));
            out[i] = s * (q - zp);
        }
    }

    /** max |x|. */
    public static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The value at quantile q (0..1) of x, by sorting a copy: Degree-Quant's percentile ranges. */
    public static float percentile(float[] x, double q) {
        if (x.length == 0) {
            return 0f;
        }
        float[] c = x.clone();
        java.util.Arrays.sort(c);
        int idx = (int) Math.round(q * (c.length - 1));
        return c[Math.max(0, Math.min(c.length - 1, idx))];
    }
}
