package org.mlsysworkbench.algorithms.cnnquant;

/**
 * Uniform asymmetric quantization as in the spec sheet: {@code q = clamp(round(x / s) + z, 0, 2^b - 1)},
 * {@code s = (max - min) / (2^b - 1)}, dequantized {@code x^ = s * (q - z)}. The range is widened to contain
 * 0 so that zero is represented exactly. Immutable, thread-safe.
 *
 * @param scale     s, in the units of x per step
 * @param zeroPoint z, the integer code of 0.0
 * @param bits      b, 1..16
 */
public record UniformQuantizer(float scale, int zeroPoint, int bits) {

    /** The quantizer for values in {@code [min, max]} (widened to contain 0) at {@code bits} bits. */
    public static UniformQuantizer forRange(double min, double max, int bits) {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("bits: expected 1..16, got " + bits);
        }
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        int levels = (1 << bits) - 1;
        if (hi - lo < 1e-12) {
            return new UniformQuantizer(1f, 0, bits);
        }
        float s = (float) ((hi - lo) / levels);
        int z = (int) Math.round(-lo / s);
        return new UniformQuantizer(s, Math.max(0, Math.min(levels, z)), bits);
    }

    /** Largest code, {@code 2^b - 1}. */
    public int maxCode() {
        return (1 << bits) - 1;
    }

    /** The integer code of {@code x}. */
    public int quantize(float x) {
        long q = Math.round(x / scale) + zeroPoint;
        return (int) Math.max(0, Math.min(maxCode(), q));
    }

    /** {@code s * (q - z)}. */
    public float dequantize(int q) {
        return scale * (q - zeroPoint);
    }

    /** Quantize then dequantize. */
    public float apply(float x) {
        return dequantize(quantize(x));
    }

    /** Applies {@link #apply} to {@code n} values of {@code a} from {@code off}, in place. */
    public void applyInPlace(float[] a, int off, int n) {
        float inv = 1f / scale;
        int maxQ = maxCode();
        for (int i = off; i < off + n; i++) {
            float q = Math.round(a[i] * inv) + zeroPoint;
            q = Math.max(0, Math.min(maxQ, q));
            a[i] = scale * (q - zeroPoint);
        }
    }

    /**
     * Fake-quantizes a {@code [S][N]} weight matrix per output channel (column j), returning a new matrix.
     *
     * @param quantizers if not null, receives the quantizer of each of the N channels
     */
    public static float[] perChannel(float[] w, int fanIn, int outputs, int bits, UniformQuantizer[] quantizers) {
        float[] out = new float[w.length];
        for (int j = 0; j < outputs; j++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < fanIn; k++) {
                lo = Math.min(lo, w[k * outputs + j]);
                hi = Math.max(hi, w[k * outputs + j]);
            }
            UniformQuantizer q = forRange(lo, hi, bits);
            if (quantizers != null) {
                quantizers[j] = q;
            }
            for (int k = 0; k < fanIn; k++) {
                out[k * outputs + j] = q.apply(w[k * outputs + j]);
            }
        }
        return out;
    }

    /** The formula with the numbers, as the inspector shows it. */
    public String formula() {
        return String.format(java.util.Locale.ROOT, "f = %.6g * (q - %d), q in 0..%d", scale, zeroPoint, maxCode());
    }
}
