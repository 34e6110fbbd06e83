package org.mlsysworkbench.algorithms.core.kernels;

/**
 * The reference kernels of the Backends bench, implemented once per backend: plain Java
 * ({@link CpuBackendKernels}) and Vulkan ({@code compute}). Arrays are float32, row-major.
 * Implementations are not required to be thread-safe; callers use one instance per thread.
 */
public interface BackendKernels {

    /** Short name for charts and CSV: "cpu", "vulkan". */
    String name();

    /** {@code y[i] = a * x[i] + y[i]} for every i; x and y have equal length. */
    void saxpy(float a, float[] x, float[] y);

    /**
     * {@code C = A * B}: A is m x k, B is k x n, C is m x n, all row-major; C is overwritten.
     * FLOP count 2·m·n·k.
     */
    void gemm(int m, int n, int k, float[] a, float[] b, float[] c);

    /** The sum of x, accumulated in a way whose error is at most ~1e-6 relative for positive data. */
    double sum(float[] x);
}
