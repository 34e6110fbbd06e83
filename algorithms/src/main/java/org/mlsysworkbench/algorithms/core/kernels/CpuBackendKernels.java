package org.mlsysworkbench.algorithms.core.kernels;

import java.util.stream.IntStream;

/** Plain-Java {@link BackendKernels}: multi-threaded over the common pool, deterministic results. */
public final class CpuBackendKernels implements BackendKernels {

    private static final int CHUNK = 1 << 16;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void saxpy(float a, float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("saxpy: x has " + x.length + " elements, y has " + y.length);
        }
        int chunks = (x.length + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int end = Math.min(x.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                y[i] = a * x[i] + y[i];
            }
        });
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        CpuGemm.gemm(m, n, k, a, b, c);
    }

    /** Fixed chunks summed in double, then the chunk sums in index order: the same bits every run. */
    @Override
    public double sum(float[] x) {
        int chunks = (x.length + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int end = Math.min(x.length, (c + 1) * CHUNK);
            double s = 0;
            for (int i = c * CHUNK; i < end; i++) {
                s += x[i];
            }
            partial[c] = s;
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }
}
