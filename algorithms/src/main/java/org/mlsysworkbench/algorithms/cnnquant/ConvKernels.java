package org.mlsysworkbench.algorithms.cnnquant;

/**
 * CPU inference kernels of one 3x3, stride-1, zero-padded conv layer of the bench's network, one image:
 * input {@code [C_s][h][w]}, output {@code [C_t][h][w]}, weights {@code [S][N]} with {@code S = C_s * 9} and fan-in
 * index {@code c * 9 + ky * 3 + kx} (the {@link SmallCnn} layout). Direct convolution, per output pixel
 * {@code acc = b_t}, then c, ky, kx ascending over in-bounds taps with non-zero input; the Vulkan kernels use the
 * same order. The Q-CNN look-up form is {@link PqLayer#lutForwardConv}. Stateless; thread-safe.
 */
public final class ConvKernels {

    private ConvKernels() {
    }

    /** Float32. */
    public static void dense(float[] wt, int cs, int ct, int h, int w, float[] in, int inOff, float[] bias,
                             float[] out, int outOff) {
        for (int t = 0; t < ct; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = bias[t];
                    for (int c = 0; c < cs; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            int sy = y + ky - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int sx = x + kx - 1;
                                if (sx < 0 || sx >= w) {
                                    continue;
                                }
                                float v = in[inOff + (c * h + sy) * w + sx];
                                if (v != 0f) {
                                    acc += v * wt[(c * 9 + ky * 3 + kx) * ct + t];
                                }
                            }
                        }
                    }
                    out[outOff + (t * h + y) * w + x] = acc;
                }
            }
        }
    }

    /**
     * W8A8 with int32 accumulation: {@code out = b_t + s_x s_t sum (q_x - z_x) q_w} over the in-bounds taps
     * (padding contributes nothing, as a zero input does in float).
     *
     * @param codes uint8 activation codes {@code [C_s][h][w]}
     */
    public static void int8(FcKernels.Int8Weights wq, int cs, int h, int w, byte[] codes, int codesOff, float sx,
                            int zx, float[] bias, float[] out, int outOff) {
        int ct = wq.outputs();
        byte[] q = wq.q();
        for (int t = 0; t < ct; t++) {
            float f = sx * wq.scale()[t];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int acc = 0;
                    for (int c = 0; c < cs; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            int sy = y + ky - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int sxx = x + kx - 1;
                                if (sxx < 0 || sxx >= w) {
                                    continue;
                                }
                                int xv = (codes[codesOff + (c * h + sy) * w + sxx] & 0xFF) - zx;
                                if (xv != 0) {
                                    acc += xv * q[(c * 9 + ky * 3 + kx) * ct + t];
                                }
                            }
                        }
                    }
                    out[outOff + (t * h + y) * w + x] = bias[t] + f * acc;
                }
            }
        }
    }

    /** Binary weights, sign-accumulate: {@code out = b_t + alpha_t (2 plus - total)} over the window. */
    public static void binary(BinaryCodes codes, int cs, int h, int w, float[] in, int inOff, float[] bias,
                              float[] out, int outOff) {
        int ct = codes.alpha().length;
        byte[] sg = codes.signs();
        for (int t = 0; t < ct; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float plus = 0f;
                    float total = 0f;
                    for (int c = 0; c < cs; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            int sy = y + ky - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int sx = x + kx - 1;
                                if (sx < 0 || sx >= w) {
                                    continue;
                                }
                                float v = in[inOff + (c * h + sy) * w + sx];
                                if (v != 0f) {
                                    total += v;
                                    if (sg[(c * 9 + ky * 3 + kx) * ct + t] > 0) {
                                        plus += v;
                                    }
                                }
                            }
                        }
                    }
                    out[outOff + (t * h + y) * w + x] = bias[t] + codes.alpha()[t] * (2 * plus - total);
                }
            }
        }
    }
}
