package org.mlsysworkbench.algorithms.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.kernels.CpuBackendKernels;

class CpuBackendKernelsTest {

    private final CpuBackendKernels k = new CpuBackendKernels();

    @Test
    void gemmMatchesNaiveDoubleProductOnRaggedSizes() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 1}, {7, 13, 300}, {70, 33, 5}, {129, 65, 257}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int kk = s[2];
            float[] a = new float[m * kk];
            float[] b = new float[kk * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble(-1, 1);
            }
            float[] c = new float[m * n];
            k.gemm(m, n, kk, a, b, c);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0;
                    for (int p = 0; p < kk; p++) {
                        ref += (double) a[i * kk + p] * b[p * n + j];
                    }
                    // float accumulation over up to 300 terms of |x| <= 1: error well under 1e-4
                    assertThat((double) c[i * n + j]).isCloseTo(ref, within(1e-4));
                }
            }
        }
    }

    @Test
    void saxpyAndSumAreExact() {
        float[] x = {1, 2, 3, 4};
        float[] y = {10, 20, 30, 40};
        k.saxpy(2f, x, y);
        assertThat(y).containsExactly(12f, 24f, 36f, 48f);
        float[] big = new float[300_001];
        java.util.Arrays.fill(big, 0.5f);
        assertThat(k.sum(big)).isEqualTo(150_000.5);
        assertThat(k.sum(new float[0])).isZero();
    }
}
