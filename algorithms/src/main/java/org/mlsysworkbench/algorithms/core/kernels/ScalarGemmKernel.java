package org.mlsysworkbench.algorithms.core.kernels;

/**
 * The GEMM inner kernel without the Vector API: one row of C at a time, four steps of k per pass,
 * in a saxpy form that C2 auto-vectorises.
 */
final class ScalarGemmKernel implements CpuGemm.MicroKernel {

    @Override
    public void run(float[] ap, int mc, int kc, float[] bp, int nc, float[] c, int cOff, int ldc) {
        rows(ap, 0, mc, kc, bp, nc, 0, nc, c, cOff, ldc);
    }

    /**
     * Rows {@code [i0, i1)} and panel columns {@code [j0, j1)} of the packed panel (row stride {@code nc});
     * row {@code i} of C starts at {@code cOff + i * ldc}.
     */
    static void rows(float[] ap, int i0, int i1, int kc, float[] bp, int nc, int j0, int j1, float[] c, int cOff,
                     int ldc) {
        for (int i = i0; i < i1; i++) {
            int a0 = i * kc;
            int c0 = cOff + i * ldc;
            int p = 0;
            for (; p + 3 < kc; p += 4) {
                float x0 = ap[a0 + p];
                float x1 = ap[a0 + p + 1];
                float x2 = ap[a0 + p + 2];
                float x3 = ap[a0 + p + 3];
                int b0 = p * nc;
                int b1 = b0 + nc;
                int b2 = b1 + nc;
                int b3 = b2 + nc;
                for (int j = j0; j < j1; j++) {
                    c[c0 + j] += x0 * bp[b0 + j] + x1 * bp[b1 + j] + x2 * bp[b2 + j] + x3 * bp[b3 + j];
                }
            }
            for (; p < kc; p++) {
                float x = ap[a0 + p];
                int b0 = p * nc;
                for (int j = j0; j < j1; j++) {
                    c[c0 + j] += x * bp[b0 + j];
                }
            }
        }
    }
}
