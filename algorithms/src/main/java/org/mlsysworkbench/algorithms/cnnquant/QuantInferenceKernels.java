package org.mlsysworkbench.algorithms.cnnquant;

/**
 * The kernel contract of cnnquant inference: one fully connected layer {@code out = b + x W} over a batch of
 * images, in the four number formats the bench compares. {@link CpuQuantInferenceKernels} is the plain-Java twin;
 * {@code compute}'s {@code VulkanQuantInferenceKernels} runs the same arithmetic in compute shaders
 * ({@code glsl/cnnquant/}). A backend registers its implementation;
 * {@code ctx.backend().kernels(QuantInferenceKernels.class).orElseGet(CpuQuantInferenceKernels::new)} picks it.
 *
 * <p>Layouts (row-major, float32 unless said): inputs {@code x [images][S]}, outputs {@code out [images][N]},
 * dense weights {@code W [S][N]}. The formats:
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
    FcLayer dense(float[] w, int fanIn, int outputs, float[] bias);

    /** An int8-weight FC layer whose inputs are quantized with {@code input} (8-bit, asymmetric). */
    FcLayer int8(FcKernels.Int8Weights w, UniformQuantizer input, float[] bias);

    /** A binary-weight FC layer. */
    FcLayer binary(BinaryCodes codes, int fanIn, int outputs, float[] bias);

    /** A Q-CNN look-up FC layer ({@code layer.positions == 1}). */
    FcLayer lookup(PqLayer layer, float[] bias);

    @Override
    void close();

    /** One prepared layer: its weights stay resident (on the device for a GPU implementation). */
    interface FcLayer extends AutoCloseable {

        int fanIn();

        int outputs();

        /**
         * Runs the layer on {@code images} inputs.
         *
         * @param x   {@code [images][S]}
         * @param out {@code [images][N]}, overwritten
         */
        void forward(float[] x, int images, float[] out);

        @Override
        void close();
    }
}
