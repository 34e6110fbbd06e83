package org.mlsysworkbench.algorithms.graph.quant;

/**
 * The A2Q bench's kernel contract (DESIGN.md): A2Q's per-node quantization to integer codes, its
 * dequantization, and the quantized sparse aggregation used at inference. {@link CpuQuantKernels} is the
 * reference ("CPU twin"); the Vulkan module implements the same contract and its parity test compares them:
 * codes exactly except where {@code |x / alpha|} lies within 1e-5 (relative) of a rounding boundary (the GPU's
 * division may differ from Java's by an ulp there; such codes differ by 1), dequantized values and aggregates
 * within an absolute error of 1e-4 times the largest magnitude involved.
 *
 * <p>Layouts (row-major, 32-bit): features {@code float[n * f]}, codes {@code int[n * f]}, per-node step
 * {@code float[n]} (used as |alpha|) and per-node {@code qmax int[n]} ({@code 2^(round|b| - 1) - 1}, 0 zeroes the
 * row); the aggregation matrix in CSR: {@code rowPtr int[rows + 1]}, {@code cols int[nnz]},
 * {@code vals float[nnz]}, columns indexing nodes. Implementations may keep device state and must be used
 * from one thread at a time.
 */
public interface QuantKernels {

    /** {@code codes[i][j] = sign(x) * floor(min(|x[i][j]| / |alpha_i|, qmax_i) + 0.5)}. */
    void quantize(float[] x, int n, int f, float[] alpha, int[] qmax, int[] codes);

    /** {@code out[i][j] = codes[i][j] * |alpha_i|}. */
    void dequantize(int[] codes, int n, int f, float[] alpha, float[] out);

    /**
     * Aggregation over quantized features:
     * {@code out[r][j] = sum_{k in row r} vals[k] * codes[cols[k]][j] * |alpha_{cols[k]}|},
     * {@code out float[rows * f]}.
     */
    void aggregate(int[] rowPtr, int[] cols, float[] vals, int rows, int[] codes, float[] alpha, int f, float[] out);
}
