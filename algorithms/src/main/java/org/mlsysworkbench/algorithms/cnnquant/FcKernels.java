package org.mlsysworkbench.algorithms.cnnquant;

/**
 * CPU inference kernels of one fully connected layer {@code out = b + x W} ({@code W [S][N]} row-major) in the
 * number formats the bench compares: float32, int8 weights with uint8 activations (int32 accumulation), and
 * binary weights (sign-accumulate, one alpha per output). The Q-CNN look-up kernel is
 * {@link PqLayer#lutForwardFc}. Stateless apart from the packed weights; thread-safe for reads.
 */
public final class FcKernels {

    private FcKernels() {
    }

    /** Float32: for each input k with x_k != 0, {@code out += x_k * W[k]} (the network's own FC loop). */
    public static void dense(float[] w, int s, int n, float[] x, int xOff, float[] bias, float[] out) {
        System.arraycopy(bias, 0, out, 0, n);
        for (int k = 0; k < s; k++) {
            float xv = x[xOff + k];
            if (xv == 0f) {
                continue;
            }
            int wo = k * n;
            for (int j = 0; j < n; j++) {
                out[j] += xv * w[wo + j];
            }
        }
    }

    /** Int8 weights {@code [S][N]} (symmetric per output channel) and their scales. */
    public record Int8Weights(byte[] q, float[] scale, int fanIn, int outputs) {

        public static Int8Weights of(float[] w, int s, int n) {
            float[] scale = new float[n];
            for (int k = 0; k < s; k++) {
                for (int j = 0; j < n; j++) {
                    scale[j] = Math.max(scale[j], Math.abs(w[k * n + j]));
                }
            }
            for (int j = 0; j < n; j++) {
                scale[j] = scale[j] == 0 ? 1f : scale[j] / 127f;
            }
            byte[] q = new byte[s * n];
            for (int k = 0; k < s; k++) {
                for (int j = 0; j < n; j++) {
                    q[k * n + j] = (byte) Math.max(-127, Math.min(127, Math.round(w[k * n + j] / scale[j])));
                }
            }
            return new Int8Weights(q, scale, s, n);
        }
    }

    /**
     * Int8 x uint8 with int32 accumulation: {@code out_j = b_j + s_x s_j sum_k (q_x,k - z_x) q_w,kj}.
     *
     * @param xq  activation codes 0..255 (one per input), with scale {@code sx} and zero point {@code zx}
     * @param acc scratch of length N
     */
    public static void int8(Int8Weights w, byte[] xq, int xOff, float sx, int zx, float[] bias, int[] acc,
                            float[] out) {
        int s = w.fanIn();
        int n = w.outputs();
        java.util.Arrays.fill(acc, 0, n, 0);
        byte[] q = w.q();
        for (int k = 0; k < s; k++) {
            int xv = (xq[xOff + k] & 0xFF) - zx;
            if (xv == 0) {
                continue;
            }
            int wo = k * n;
            for (int j = 0; j < n; j++) {
                acc[j] += xv * q[wo + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] = bias[j] + sx * w.scale()[j] * acc[j];
        }
    }

    /**
     * Binary weights: {@code out_j = b_j + alpha_j sum_k sign_kj x_k}, computed as
     * {@code alpha_j (2 sum_{k: sign=+1} x_k - sum_k x_k)} with the signs as float masks (sign-accumulate).
     *
     * @param plusMask {@code [S][N]}, 1 where the sign is +1, else 0
     */
    public static void binary(float[] plusMask, float[] alpha, int s, int n, float[] x, int xOff, float[] bias,
                              float[] acc, float[] out) {
        java.util.Arrays.fill(acc, 0, n, 0f);
        float total = 0f;
        for (int k = 0; k < s; k++) {
            float xv = x[xOff + k];
            if (xv == 0f) {
                continue;
            }
            total += xv;
            int wo = k * n;
            for (int j = 0; j < n; j++) {
                acc[j] += xv * plusMask[wo + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] = bias[j] + alpha[j] * (2 * acc[j] - total);
        }
    }

    /**
     * Quantizes {@code n} activations to uint8 codes {@code clamp(round(x / s) + z, 0, 255)} (the
     * {@link UniformQuantizer} of an 8-bit activation range), the input of {@link #int8}.
     */
    public static void quantizeInput(UniformQuantizer q, float[] x, int xOff, int n, byte[] codes, int codesOff) {
        for (int k = 0; k < n; k++) {
            codes[codesOff + k] = (byte) q.quantize(x[xOff + k]);
        }
    }

    /**
     * Binary signs packed 32 per word for the GPU: {@code [N][ceil(S / 32)]}, bit {@code k % 32} of word
     * {@code j * words + k / 32} set where {@code B[k][j] = +1}.
     */
    public static int[] packSigns(BinaryCodes codes, int s, int n) {
        int words = (s + 31) / 32;
        int[] bits = new int[n * words];
        byte[] sg = codes.signs();
        for (int k = 0; k < s; k++) {
            for (int j = 0; j < n; j++) {
                if (sg[k * n + j] > 0) {
                    bits[j * words + (k >>> 5)] |= 1 << (k & 31);
                }
            }
        }
        return bits;
    }

    /** The +1 mask of binary codes, for {@link #binary}. */
    public static float[] plusMask(BinaryCodes codes) {
        float[] m = new float[codes.signs().length];
        for (int i = 0; i < m.length; i++) {
            m[i] = codes.signs()[i] > 0 ? 1f : 0f;
        }
        return m;
    }
}
