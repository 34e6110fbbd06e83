package org.mlsysworkbench.algorithms.attention;

/**
 * Symmetric int8 quantization of KV entries with a static per-tensor scale (one scale for the keys and one for the
 * values of each layer, fixed by calibration before decoding): {@code q = clamp(round(x / s), -127, 127)},
 * {@code x' = q * s}, {@code s = max|x| / 127} over calibration sequences. For {@code |x| <= 127 s} the error is at
 * most {@code s / 2}; larger values clamp. Stateless.
 */
public final class Int8Kv {

    /** Largest code magnitude (symmetric range, -128 unused). */
    public static final int QMAX = 127;

    private Int8Kv() {
    }

    /** The code of {@code x}. */
    public static byte quantize(float x, float scale) {
        long q = Math.round(x / (double) scale);
        return (byte) Math.max(-QMAX, Math.min(QMAX, q));
    }

    /** The value of code {@code q}. */
    public static float dequantize(byte q, float scale) {
        return q * scale;
    }

    /** The scale that maps {@code maxAbs} to {@link #QMAX} (1 when {@code maxAbs} is 0). */
    public static float scaleFor(float maxAbs) {
        return maxAbs > 0 ? maxAbs / QMAX : 1f;
    }

    /** Replaces {@code x[off .. off + n)} by its dequantized int8 value (what an int8 cache returns). */
    public static void roundTrip(float[] x, int off, int n, float scale) {
        for (int i = off; i < off + n; i++) {
            x[i] = dequantize(quantize(x[i], scale), scale);
        }
    }
}
