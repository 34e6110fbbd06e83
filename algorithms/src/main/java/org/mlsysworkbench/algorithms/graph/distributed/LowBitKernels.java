package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * The Low-bit Module's kernel contract (the "codec" contract of a backend): per-row min/max stochastic
 * quantization to 1, 2, 4 or 8 bits with bit packing, and dequantization on receipt. {@link CpuLowBitKernels}
 * is the reference (CPU twin); the Vulkan backend registers the same contract. The rounding draws come from a
 * counter-based hash of (seed, node, channel) ({@code CounterRng}), and every float operation is a single
 * IEEE-rounded add, subtract or multiply in a fixed order, so CPU and GPU produce identical packed bits and
 * identical dequantized values. Implementations may be used from several threads.
 */
public interface LowBitKernels {

    /**
     * Quantizes {@code rows} rows of {@code x} (row-major {@code float[rows * d]}).
     *
     * @param nodes global node id of each row ({@code int[rows]}): the RNG's node coordinate
     * @param seed  32-bit message seed: the RNG's seed coordinate (the channel is the column j)
     */
    LowBitMessage quantize(float[] x, int rows, int d, int[] nodes, int bits, LowBitCodec.Side side, int seed);

    /** Decodes {@code m} into {@code out} (row-major {@code float[m.rows() * m.d()]}). */
    void dequantize(LowBitMessage m, float[] out);
}
