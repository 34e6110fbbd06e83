package org.mlsysworkbench.algorithms.core.kernels;

/** The plain-Java {@link DenseKernels}: {@link CpuGemm} and {@link CpuConv2d}. Stateless, thread-safe. */
public final class CpuDenseKernels implements DenseKernels {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        CpuGemm.gemm(m, n, k, a, b, c);
    }

    @Override
    public void conv2d(float[] x, int n, int c, int h, int w, float[] weight, int o, int kh, int kw, float[] bias,
                       int stride, int pad, float[] y) {
        CpuConv2d.forward(x, n, c, h, w, weight, o, kh, kw, bias, stride, pad, y);
    }
}
