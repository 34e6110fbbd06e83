package org.mlsysworkbench.algorithms.core.kernels;

/**
 * The dense float32 kernels that training reduces to: GEMM and 2-D convolution. Implemented in plain
 * Java ({@link CpuDenseKernels}, the CPU twin), on ND4J/OpenBLAS ({@code compute}) and on Vulkan;
 * {@code bench core} compares them on the same inputs. Arrays are row-major; outputs are overwritten.
 * Implementations need not be thread-safe (one instance per thread); those owning native memory are
 * {@link AutoCloseable} and closed by their creator.
 */
public interface DenseKernels {

    /** Short name for reports: "java", "nd4j", "vulkan". */
    String name();

    /** {@code C = A * B}: A is m x k, B is k x n, C is m x n. FLOP count 2·m·n·k. */
    void gemm(int m, int n, int k, float[] a, float[] b, float[] c);

    /**
     * Cross-correlation {@code y = conv2d(x, w) + bias}: x {@code [N, C, H, W]}, w {@code [O, C, KH, KW]},
     * bias {@code [O]} or null, zero padding {@code pad} on each side, step {@code stride}; y
     * {@code [N, O, OH, OW]} with {@code OH = (H + 2 pad - KH) / stride + 1}. FLOP count
     * 2·N·O·OH·OW·C·KH·KW.
     */
    void conv2d(float[] x, int n, int c, int h, int w, float[] weight, int o, int kh, int kw, float[] bias,
                int stride, int pad, float[] y);
}
