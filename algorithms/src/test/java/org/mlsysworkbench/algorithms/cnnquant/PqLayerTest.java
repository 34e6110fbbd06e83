package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PqLayerTest {

    private static float[] gaussian(int n, SplittableRandom rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) SmallCnn.gaussian(rnd);
        }
        return a;
    }

    @Test
    void fcLookupInferenceEqualsDenseWithReconstructedWeights() {
        SplittableRandom rnd = new SplittableRandom(1);
        int s = 64;
        int n = 24;
        float[] w = gaussian(s * n, rnd);
        PqLayer q = PqLayer.learn(w, s, n, 1, 4, 8, null, null, 0, 10, 0, rnd);
        float[] wr = q.reconstruct();
        float[] x = gaussian(s, rnd);
        float[] bias = gaussian(n, rnd);
        float[] out = new float[n];
        q.lutForwardFc(x, 0, bias, out, 0, q.newTable(1));
        for (int t = 0; t < n; t++) {
            double dense = bias[t];
            for (int k = 0; k < s; k++) {
                dense += x[k] * wr[k * n + t];
            }
            // float32 sums in another order: 1e-4 absolute on values of order 10
            assertThat((double) out[t]).isCloseTo(dense, offset(1e-4));
        }
    }

    @Test
    void convLookupInferenceEqualsDenseWithReconstructedWeights() {
        SplittableRandom rnd = new SplittableRandom(2);
        int ch = 8;
        int n = 6;
        int h = 5;
        int wd = 4;
        float[] w = gaussian(ch * 9 * n, rnd);
        PqLayer q = PqLayer.learn(w, ch * 9, n, 9, 4, 16, null, null, 0, 10, 0, rnd);
        float[] wr = q.reconstruct();
        float[] in = gaussian(ch * h * wd, rnd);
        float[] bias = gaussian(n, rnd);
        float[] out = new float[n * h * wd];
        q.lutForwardConv(in, 0, h, wd, bias, out, 0, q.newTable(h * wd));
        for (int t = 0; t < n; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double acc = bias[t];
                    for (int c = 0; c < ch; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int sy = y + ky - 1;
                                int sx = x + kx - 1;
                                if (sy >= 0 && sy < h && sx >= 0 && sx < wd) {
                                    acc += wr[(c * 9 + ky * 3 + kx) * n + t] * in[(c * h + sy) * wd + sx];
                                }
                            }
                        }
                    }
                    assertThat((double) out[(t * h + y) * wd + x]).isCloseTo(acc, offset(1e-4));
                }
            }
        }
    }

    @Test
    void codebookGradientIsTheChainRuleThroughTheReconstruction() {
        // L = <G, W^(D)> is linear in the codebooks, so dL/dD from codebookGradient must predict the change of L
        // exactly when one codebook entry moves (up to float rounding of sums of ~100 terms)
        SplittableRandom rnd = new SplittableRandom(4);
        int s = 8 * 9;
        int n = 6;
        PqLayer q = PqLayer.learn(gaussian(s * n, rnd), s, n, 9, 2, 4, null, null, 0, 5, 0, rnd);
        float[] g = gaussian(s * n, rnd);
        float[][] grad = new float[q.subspaces][q.codewords * q.subDim];
        q.codebookGradient(g, grad);
        double before = dot(g, q.reconstruct());
        q.codebooks[2][3] += 0.5f;
        double after = dot(g, q.reconstruct());
        assertThat(after - before).isCloseTo(0.5 * grad[2][3], offset(1e-4));
        float[] w = new float[s * n];
        q.reconstructInto(w);
        assertThat(w).containsExactly(q.reconstruct());
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }

    @Test
    void errorCorrectionLowersTheResponseError() {
        SplittableRandom rnd = new SplittableRandom(3);
        int s = 32;
        int n = 16;
        int samples = 300;
        float[] w = gaussian(s * n, rnd);
        float[] x = new float[samples * s];
        for (int i = 0; i < samples; i++) {
            double common = SmallCnn.gaussian(rnd);
            for (int k = 0; k < s; k++) {
                x[i * s + k] = (float) (common * (k % 4) + 0.3 * SmallCnn.gaussian(rnd));
            }
        }
        float[] t = new float[samples * n];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < s; k++) {
                for (int j = 0; j < n; j++) {
                    t[i * n + j] += x[i * s + k] * w[k * n + j];
                }
            }
        }
        PqLayer q = PqLayer.learn(w, s, n, 1, 4, 4, x, t, samples, 15, 5, new SplittableRandom(4));
        double[] hist = q.responseErrorHistory();
        assertThat(hist).hasSize(6);
        // after five sweeps the response error is well below plain k-means' (measured: about a third of it)
        assertThat(hist[5]).isLessThan(0.7 * hist[0]);
    }

    @Test
    void costModelReproducesTheAlexNetFc6Figures() {
        // spec sheet: fc6 (C_s 9216, C_t 4096, C_s' 4 -> M 2304, K 32): 144 MB -> 6.75 MB, 3.88x fewer operations
        LutCostModel.LayerCost fc6 = LutCostModel.fc("fc6", 9216, 4096, 2304, 32);
        assertThat(fc6.denseBits() / 8.0 / (1 << 20)).isCloseTo(144.0, offset(1e-9));
        assertThat(fc6.pqBits() / 8.0 / (1 << 20)).isCloseTo(6.75, offset(1e-9));
        assertThat(fc6.speedup()).isCloseTo(3.88, offset(0.005));
        // fc8 (C_s' 1, K 16) is slower than dense: 0.98x
        assertThat(LutCostModel.fc("fc8", 4096, 1000, 4096, 16).speedup()).isCloseTo(0.98, offset(0.005));
    }

    @Test
    void storageCountsCodebooksAndCodes() {
        SplittableRandom rnd = new SplittableRandom(5);
        PqLayer q = PqLayer.learn(gaussian(64 * 10, rnd), 64, 10, 1, 8, 16, null, null, 0, 3, 0, rnd);
        // 32 * C_s * K + C_t * M * log2 K = 32 * 64 * 16 + 10 * 8 * 4
        assertThat(q.storageBits()).isEqualTo(32L * 64 * 16 + 10 * 8 * 4);
        assertThat(LutCostModel.of("fc", q, 1).pqBits()).isEqualTo(q.storageBits());
    }
}
