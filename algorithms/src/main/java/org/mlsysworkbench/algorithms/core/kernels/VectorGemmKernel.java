package org.mlsysworkbench.algorithms.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM inner kernel on the incubating Vector API: a register block of 4 rows x 2 vectors of C
 * accumulated with FMA over the packed k panel, then added to C. Loaded by {@link CpuGemm} only when the
 * JVM has {@code jdk.incubator.vector}; columns that do not fill two vectors take single masked vectors,
 * rows that do not fill four take a one-row loop.
 */
final class VectorGemmKernel implements CpuGemm.MicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void run(float[] ap, int mc, int kc, float[] bp, int nc, float[] c, int cOff, int ldc) {
        int nBlock = nc - nc % (2 * L);
        int i = 0;
        for (; i + 3 < mc; i += 4) {
            int a0 = i * kc;
            int a1 = a0 + kc;
            int a2 = a1 + kc;
            int a3 = a2 + kc;
            for (int j = 0; j < nBlock; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = FloatVector.zero(S);
                FloatVector c10 = FloatVector.zero(S);
                FloatVector c11 = FloatVector.zero(S);
                FloatVector c20 = FloatVector.zero(S);
                FloatVector c21 = FloatVector.zero(S);
                FloatVector c30 = FloatVector.zero(S);
                FloatVector c31 = FloatVector.zero(S);
                for (int p = 0; p < kc; p++) {
                    int bo = p * nc + j;
                    FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                    FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                    FloatVector x = FloatVector.broadcast(S, ap[a0 + p]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(S, ap[a1 + p]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(S, ap[a2 + p]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(S, ap[a3 + p]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int r = cOff + i * ldc + j;
                addInto(c, r, c00, c01);
                addInto(c, r + ldc, c10, c11);
                addInto(c, r + 2 * ldc, c20, c21);
                addInto(c, r + 3 * ldc, c30, c31);
            }
            for (int j = nBlock; j < nc; j += L) {
                // the last columns: one (masked) vector per row
                VectorMask<Float> m = S.indexInRange(j, nc);
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = FloatVector.zero(S);
                FloatVector c2 = FloatVector.zero(S);
                FloatVector c3 = FloatVector.zero(S);
                for (int p = 0; p < kc; p++) {
                    FloatVector b0 = FloatVector.fromArray(S, bp, p * nc + j, m);
                    c0 = FloatVector.broadcast(S, ap[a0 + p]).fma(b0, c0);
                    c1 = FloatVector.broadcast(S, ap[a1 + p]).fma(b0, c1);
                    c2 = FloatVector.broadcast(S, ap[a2 + p]).fma(b0, c2);
                    c3 = FloatVector.broadcast(S, ap[a3 + p]).fma(b0, c3);
                }
                int r = cOff + i * ldc + j;
                addMasked(c, r, c0, m);
                addMasked(c, r + ldc, c1, m);
                addMasked(c, r + 2 * ldc, c2, m);
                addMasked(c, r + 3 * ldc, c3, m);
            }
        }
        for (; i < mc; i++) {
            // the last rows (fewer than 4): one row, one (masked) vector at a time
            int a0 = i * kc;
            for (int j = 0; j < nc; j += L) {
                VectorMask<Float> m = S.indexInRange(j, nc);
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < kc; p++) {
                    acc = FloatVector.broadcast(S, ap[a0 + p]).fma(FloatVector.fromArray(S, bp, p * nc + j, m), acc);
                }
                addMasked(c, cOff + i * ldc + j, acc, m);
            }
        }
    }

    private static void addMasked(float[] c, int off, FloatVector v, VectorMask<Float> m) {
        FloatVector.fromArray(S, c, off, m).add(v).intoArray(c, off, m);
    }

    private static void addInto(float[] c, int off, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, off).add(v0).intoArray(c, off);
        FloatVector.fromArray(S, c, off + L).add(v1).intoArray(c, off + L);
    }

    @Override
    public String toString() {
        return "vector-api (" + S.vectorBitSize() + "-bit)";
    }
}
