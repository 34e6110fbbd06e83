package org.mlsysworkbench.algorithms.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpuGemmTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Reference in double: op(A)[i,p] op(B)[p,j]. */
    private static double ref(int i, int j, int k, float[] a, int lda, boolean ta, float[] b, int ldb, boolean tb) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double av = ta ? a[p * lda + i] : a[i * lda + p];
            double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
            s += av * bv;
        }
        return s;
    }

    /** Odd sizes cross every block edge (MC 64, KC 256, vector width 16, 4-row groups). */
    @Test
    void matchesADoubleReferenceForAllTransposesAndOddSizes() {
        SplittableRandom r = new SplittableRandom(1);
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {67, 33, 259}, {130, 70, 300}, {5, 200, 17}};
        for (int[] s : sizes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = (mode & 1) != 0;
                boolean tb = (mode & 2) != 0;
                float[] a = random(r, m * k);
                float[] b = random(r, k * n);
                float[] c = random(r, m * n);
                float[] c0 = c.clone();
                int lda = ta ? m : k;
                int ldb = tb ? k : n;
                CpuGemm.gemm(m, n, k, a, 0, lda, ta, b, 0, ldb, tb, c, 0, n, true);
                double worst = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double want = c0[i * n + j] + ref(i, j, k, a, lda, ta, b, ldb, tb);
                        worst = Math.max(worst, Math.abs(c[i * n + j] - want));
                    }
                }
                // float32 accumulation over k <= 300 terms of size <= 1: well under 1e-4
                assertThat(worst).as("m=%d n=%d k=%d ta=%b tb=%b", m, n, k, ta, tb).isLessThan(1e-4);
            }
        }
    }

    @Test
    void scalarAndDefaultKernelsAgreeAndOverwriteC() {
        SplittableRandom r = new SplittableRandom(2);
        int m = 97;
        int n = 150;
        int k = 513;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c1 = random(r, m * n);
        float[] c2 = random(r, m * n);
        CpuGemm.gemm(m, n, k, a, b, c1);
        CpuGemm.gemmScalar(m, n, k, a, b, c2);
        for (int i = 0; i < m * n; i++) {
            assertThat(Math.abs(c1[i] - c2[i])).isLessThan(1e-4f);
        }
        assertThat(CpuGemm.kernelName()).isNotBlank();
    }

    @Test
    void repeatedCallsGiveIdenticalBits() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 300;
        float[] a = random(r, n * n);
        float[] b = random(r, n * n);
        float[] c1 = new float[n * n];
        float[] c2 = new float[n * n];
        CpuGemm.gemm(n, n, n, a, b, c1);
        CpuGemm.gemm(n, n, n, a, b, c2);
        assertThat(c2).containsExactly(c1);
    }

    @Test
    void convolutionMatchesADirectLoop() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 2;
        int c = 3;
        int h = 9;
        int w = 8;
        int o = 5;
        int kh = 3;
        int kw = 2;
        int stride = 2;
        int pad = 1;
        float[] x = random(r, n * c * h * w);
        float[] wt = random(r, o * c * kh * kw);
        float[] bias = random(r, o);
        int oh = CpuConv2d.outSize(h, kh, stride, pad);
        int ow = CpuConv2d.outSize(w, kw, stride, pad);
        float[] y = new float[n * o * oh * ow];
        new CpuDenseKernels().conv2d(x, n, c, h, w, wt, o, kh, kw, bias, stride, pad, y);
        for (int img = 0; img < n; img++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias[oc];
                        for (int ch = 0; ch < c; ch++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int iy = i * stride - pad + a;
                                    int ix = j * stride - pad + bb;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += x[((img * c + ch) * h + iy) * w + ix]
                                                * wt[((oc * c + ch) * kh + a) * kw + bb];
                                    }
                                }
                            }
                        }
                        assertThat((double) y[((img * o + oc) * oh + i) * ow + j]).isCloseTo(s,
                                org.assertj.core.data.Offset.offset(1e-5));
                    }
                }
            }
        }
    }
}
