package org.mlsysworkbench.algorithms.cnnquant;

/**
 * The kernel contract of cnnquant inference: one fully connected layer {@code out = b + x W}, or one 3x3 stride-1
 * zero-padded conv layer ({@link ConvKernels}), over a batch of images, in the four number formats the bench
 * compares. {@link CpuQuantInferenceKernels} is the plain-Java twin;
 * {@code compute}'s {@code VulkanQuantInferenceKernels} runs the same arithmetic in compute shaders
 * ({@code glsl/cnnquant/}). A backend registers its implementation;
 * {@code ctx.backend().kernels(QuantInferenceKernels.class).orElseGet(CpuQuantInferenceKernels::new)} picks it.
 *
 * <p>Layouts (row-major, float32 unless said): inputs {@code x [images][S]}, outputs {@code out [images][N]},
 * dense weights {@code W [S][N]}; conv layers read {@code [images][C_s][h][w]}, write {@code [images][C_t][h][w]},
 * with {@code S = 9 C_s} and fan-in index {@code c * 9 + ky * 3 + kx}. The formats (FC form; conv sums over
 * the in-bounds taps of each output pixel):
 * <ul>
 *   <li>{@link #dense}: {@code out_j = b_j + sum_k x_k W_kj} (zeros of x skipped, k ascending);</li>
 *   <li>{@link #int8} (W8A8): x quantized on the host to uint8 codes {@code q_x = clamp(round(x / s_x) + z_x, 0,
 *       255)}, weights int8 symmetric per output channel; {@code out_j = b_j + s_x s_j sum_k (q_x,k - z_x) q_w,kj}
 *       with exact int32 accumulation, then rescaled;</li>
 *   <li>{@link #binary}: signs {@code B [S][N]} and per-channel alpha, sign-accumulate
 *       {@code out_j = b_j + alpha_j (2 sum_{k: B_kj = +1} x_k - sum_k x_k)};</li>
 *   <li>{@link #lookup} (Q-CNN): per subspace a table of the K products {@code <D_m[c], x_m>}, then
 *       {@code out_t = b_t + sum_m table[m][code(t, m)]}.</li>
 * </ul>
 * Every implementation evaluates the same float operations in the same order (no fused multiply-add), so the
 * results of two implementations agree to float rounding; the parity tests state the tolerance.
 *
 * <p>Implementations and layers may own device memory: whoever creates one closes it ({@code close()} is
 * idempotent). A layer is not thread-safe; an implementation may confine its calls to one GPU thread.
 */
public interface QuantInferenceKernels extends AutoCloseable {

    /** Short name for reports ("cpu", "vulkan"). */
    String name();

    /** A float32 FC layer; copies {@code w [S][N]} and {@code bias [N]}. */
    Layer dense(float[] w, int fanIn, int outputs, float[] bias);

    /** An int8-weight FC layer whose inputs are quantized with {@code input} (8-bit, asymmetric). */
    Layer int8(FcKernels.Int8Weights w, UniformQuantizer input, float[] bias);

    /** A binary-weight FC layer. */
    Layer binary(BinaryCodes codes, int fanIn, int outputs, float[] bias);

    /** A Q-CNN look-up FC layer ({@code layer.positions == 1}). */
    Layer lookup(PqLayer layer, float[] bias);

    /** A float32 3x3 conv layer on {@code h x w} maps; {@code w [9 C_s][C_t]}. */
    Layer denseConv(float[] w, int inChannels, int outChannels, int h, int width, float[] bias);

    /** A W8A8 3x3 conv layer (int8 weights {@code [9 C_s][C_t]}, inputs quantized with {@code input}). */
    Layer int8Conv(FcKernels.Int8Weights w, int inChannels, int h, int width, UniformQuantizer input, float[] bias);

    /** A binary-weight 3x3 conv layer. */
    Layer binaryConv(BinaryCodes codes, int inChannels, int h, int width, float[] bias);

    /** A Q-CNN look-up 3x3 conv layer ({@code layer.positions == 9}). */
    Layer lookupConv(PqLayer layer, int h, int width, float[] bias);

    @Override
    void close();

    /** One prepared layer: its weights stay resident (on the device for a GPU implementation). */
    interface Layer extends AutoCloseable {

        /** Floats per image in (FC: S; conv: C_s h w). */
        int inputSize();

        /** Floats per image out (FC: N; conv: C_t h w). */
        int outputSize();

        /**
         * Runs the layer on {@code images} inputs.
         *
         * @param x   {@code [images][inputSize]}
         * @param out {@code [images][outputSize]}, overwritten
         */
        void forward(float[] x, int images, float[] out);

        @Override
        void close();
    }
}
