package org.mlsysworkbench.algorithms.cnnquant;

/**
 * CPU inference kernels of one 3x3, stride-1, zero-padded conv layer of the bench's network, one image:
 * input {@code [C_s][h][w]}, output {@code [C_t][h][w]}, weights {@code [S][N]} with {@code S = C_s * 9} and fan-in
 * index {@code c * 9 + ky * 3 + kx} (the {@link SmallCnn} layout). Each output pixel starts at {@code b_t} and
 * adds its in-bounds taps with non-zero input in c, ky, kx order (computed plane by plane, as axpy over the
 * pixels); the Vulkan kernels sum in the same order, so the results agree bit for bit. The Q-CNN look-up form is {@link PqLayer#lutForwardConv}. Stateless; thread-safe.
 */
public final class ConvKernels {

    private ConvKernels() {
    }

    /** Float32. */
    public static void dense(float[] wt, int cs, int ct, int h, int w, float[] in, int inOff, float[] bias,
                             float[] out, int outOff) {
        int p = h * w;
        for (int t = 0; t < ct; t++) {
            int o = outOff + t * p;
            java.util.Arrays.fill(out, o, o + p, bias[t]);
            // plane-wise axpy per tap: every output pixel still sums its taps c, ky, kx in ascending order
            for (int c = 0; c < cs; c++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        float wv = wt[(c * 9 + ky * 3 + kx) * ct + t];
                        int y0 = Math.max(0, 1 - ky);
                        int y1 = Math.min(h, h + 1 - ky);
                        int x0 = Math.max(0, 1 - kx);
                        int x1 = Math.min(w, w + 1 - kx);
                        for (int y = y0; y < y1; y++) {
                            int io = inOff + (c * h + y + ky - 1) * w + kx - 1;
                            int oo = o + y * w;
                            for (int x = x0; x < x1; x++) {
                                float v = in[io + x];
                                if (v != 0f) {
                                    out[oo + x] += v * wv;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * W8A8 with int32 accumulation: {@code out = b_t + s_x s_t sum (q_x - z_x) q_w} over the in-bounds taps
     * (padding contributes nothing, as a zero input does in float).
     *
     * @param codes uint8 activation codes {@code [C_s][h][w]}
     * @param acc   scratch of {@code h * w} ints
     */
    public static void int8(FcKernels.Int8Weights wq, int cs, int h, int w, byte[] codes, int codesOff, float sx,
                            int zx, float[] bias, int[] acc, float[] out, int outOff) {
        int ct = wq.outputs();
        byte[] q = wq.q();
        int p = h * w;
        for (int t = 0; t < ct; t++) {
            java.util.Arrays.fill(acc, 0, p, 0);
            for (int c = 0; c < cs; c++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int wv = q[(c * 9 + ky * 3 + kx) * ct + t];
                        int y0 = Math.max(0, 1 - ky);
                        int y1 = Math.min(h, h + 1 - ky);
                        int x0 = Math.max(0, 1 - kx);
                        int x1 = Math.min(w, w + 1 - kx);
                        for (int y = y0; y < y1; y++) {
                            int io = codesOff + (c * h + y + ky - 1) * w + kx - 1;
                            int ao = y * w;
                            for (int x = x0; x < x1; x++) {
                                acc[ao + x] += ((codes[io + x] & 0xFF) - zx) * wv;
                            }
                        }
                    }
                }
            }
            float f = sx * wq.scale()[t];
            int o = outOff + t * p;
            for (int i = 0; i < p; i++) {
                out[o + i] = bias[t] + f * acc[i];
            }
        }
    }

    /**
     * Binary weights, sign-accumulate: {@code out = b_t + alpha_t (2 plus - total)} over the window, with
     * {@code plus} the sum of the inputs under +1 signs and {@code total} the sum of all.
     *
     * @param scratch at least {@code 2 h w} floats
     */
    public static void binary(BinaryCodes codes, int cs, int h, int w, float[] in, int inOff, float[] bias,
                              float[] scratch, float[] out, int outOff) {
        int ct = codes.alpha().length;
        byte[] sg = codes.signs();
        int p = h * w;
        // total: the window sum, the same for every output channel (taps in ascending order)
        java.util.Arrays.fill(scratch, 0, 2 * p, 0f);
        for (int c = 0; c < cs; c++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    tapAdd(in, inOff, c, ky, kx, h, w, scratch, p);
                }
            }
        }
        for (int t = 0; t < ct; t++) {
            java.util.Arrays.fill(scratch, 0, p, 0f);
            for (int c = 0; c < cs; c++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        if (sg[(c * 9 + ky * 3 + kx) * ct + t] > 0) {
                            tapAdd(in, inOff, c, ky, kx, h, w, scratch, 0);
                        }
                    }
                }
            }
            float a = codes.alpha()[t];
            int o = outOff + t * p;
            for (int i = 0; i < p; i++) {
                out[o + i] = bias[t] + a * (2 * scratch[i] - scratch[p + i]);
            }
        }
    }

    /** {@code sum[off + pixel] += input under tap (ky, kx) of channel c}, zeros skipped. */
    private static void tapAdd(float[] in, int inOff, int c, int ky, int kx, int h, int w, float[] sum, int off) {
        int y0 = Math.max(0, 1 - ky);
        int y1 = Math.min(h, h + 1 - ky);
        int x0 = Math.max(0, 1 - kx);
        int x1 = Math.min(w, w + 1 - kx);
        for (int y = y0; y < y1; y++) {
            int io = inOff + (c * h + y + ky - 1) * w + kx - 1;
            int so = off + y * w;
            for (int x = x0; x < x1; x++) {
                float v = in[io + x];
                if (v != 0f) {
                    sum[so + x] += v;
                }
            }
        }
    }
}
