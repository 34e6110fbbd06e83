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

    /**
     * Static scales of a model's KV cache: {@code [0][layer] = max|K| / 127}, {@code [1][layer] = max|V| / 127} over
     * the given sequences (dense decode, keys after RoPE).
     */
    public static float[][] calibrate(LlamaModel model, int[][] sequences) {
        int layers = model.config().layers();
        float[][] range = new float[2][layers];
        for (int[] seq : sequences) {
            LlamaSession session = model.newDenseSession();
            session.measureKvRange();
            for (int token : seq) {
                session.step(token);
            }
            float[][] r = session.kvRange();
            for (int l = 0; l < layers; l++) {
                range[0][l] = Math.max(range[0][l], r[0][l]);
                range[1][l] = Math.max(range[1][l], r[1][l]);
            }
        }
        float[][] scales = new float[2][layers];
        for (int l = 0; l < layers; l++) {
            scales[0][l] = scaleFor(range[0][l]);
            scales[1][l] = scaleFor(range[1][l]);
        }
        return scales;
    }

    /**
     * Decodes {@code tokens} teacher-forced with float32 and with int8 KV (dense attention both) and compares them.
     *
     * @return {@code [next-token agreement, mean ||l8 - l|| / ||l|| over positions, float32 KV bytes, int8 KV bytes]}
     */
    public static double[] compare(LlamaModel model, float[][] scales, int[] tokens) {
        LlamaSession d = model.newDenseSession();
        LlamaSession q = model.newDenseSession();
        q.useInt8Kv(scales[0], scales[1]);
        long agree = 0;
        double err = 0;
        for (int token : tokens) {
            float[] l = d.step(token);
            float[] l8 = q.step(token);
            agree += LlamaModel.argmax(l) == LlamaModel.argmax(l8) ? 1 : 0;
            double num = 0;
            double den = 0;
            for (int v = 0; v < l.length; v++) {
                num += (double) (l8[v] - l[v]) * (l8[v] - l[v]);
                den += (double) l[v] * l[v];
            }
            err += Math.sqrt(num / Math.max(den, 1e-30));
        }
        return new double[] {agree / (double) tokens.length, err / tokens.length, d.kvBytes()[0] + d.kvBytes()[2],
            q.kvBytes()[0] + q.kvBytes()[2]};
    }
}
