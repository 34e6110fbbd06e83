package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels.Layer;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/** The CPU twin of the inference kernels against dense float math with the weights each format stands for. */
class CpuQuantInferenceKernelsTest {

    static final int S = 90;
    static final int N = 13;
    static final int IMAGES = 3;

    private final CpuQuantInferenceKernels cpu = new CpuQuantInferenceKernels();
    private final SplittableRandom rnd = new SplittableRandom(8);
    private final float[] w = gaussian(S * N, 0.2);
    private final float[] bias = gaussian(N, 1);
    private final float[] x = relu(IMAGES * S);

    private float[] gaussian(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (SmallCnn.gaussian(rnd) * scale);
        }
        return a;
    }

    private float[] relu(int n) {
        float[] a = gaussian(n, 1);
        for (int i = 0; i < n; i++) {
            a[i] = Math.max(0, a[i]);
        }
        return a;
    }

    /** {@code b + x W} in double, per image. */
    private static double[] reference(float[] weights, float[] bias, float[] x) {
        double[] out = new double[IMAGES * N];
        for (int i = 0; i < IMAGES; i++) {
            for (int j = 0; j < N; j++) {
                double acc = bias[j];
                for (int k = 0; k < S; k++) {
                    acc += (double) x[i * S + k] * weights[k * N + j];
                }
                out[i * N + j] = acc;
            }
        }
        return out;
    }

    private static void assertClose(Layer layer, float[] x, double[] expected, double tolerance) {
        float[] out = new float[IMAGES * N];
        layer.forward(x, IMAGES, out);
        for (int i = 0; i < out.length; i++) {
            assertThat((double) out[i]).isCloseTo(expected[i], offset(tolerance));
        }
    }

    @Test
    void denseIsTheMatrixProduct() {
        // float32 sums of 90 terms of order 1: 1e-4
        assertClose(cpu.dense(w, S, N, bias), x, reference(w, bias, x), 1e-4);
    }

    @Test
    void int8EqualsFloatMathOnDequantizedWeightsAndInputs() {
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(w, S, N);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 3, 8);
        float[] wd = new float[S * N];
        for (int k = 0; k < S; k++) {
            for (int j = 0; j < N; j++) {
                wd[k * N + j] = w8.scale()[j] * w8.q()[k * N + j];
            }
        }
        float[] xd = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = xq.apply(x[i]);
        }
        // the integer sum is exact; only the final rescale rounds: 1e-4 on outputs of order 1
        assertClose(cpu.int8(w8, xq, bias), x, reference(wd, bias, xd), 1e-4);
    }

    @Test
    void binaryEqualsFloatMathOnAlphaTimesSigns() {
        BinaryCodes codes = BinaryWeights.bwn(w, S, N);
        assertClose(cpu.binary(codes, S, N, bias), x, reference(codes.weights(), bias, x), 1e-4);
        int[] bits = FcKernels.packSigns(codes, S, N);
        // bit k of output j's words is the sign of W[k][j]
        assertThat((bits[5 * 3 + 2] >>> 1 & 1) == 1).isEqualTo(codes.signs()[(64 + 1) * N + 5] > 0);
    }

    @Test
    void lookupEqualsFloatMathOnTheReconstructedWeights() {
        PqLayer pq = PqLayer.learn(w, S, N, 1, 3, 8, null, null, 0, 5, 0, rnd);
        assertClose(cpu.lookup(pq, bias), x, reference(pq.reconstruct(), bias, x), 1e-4);
    }

    // conv: 5 -> 6 channels, 3x3 on 7x5 maps (not square, so rows and columns cannot be swapped unnoticed)
    static final int CS = 5;
    static final int CT = 6;
    static final int H = 7;
    static final int W = 5;

    /** Zero-padded 3x3 conv in double, images of {@code [CS][H][W]}. */
    private static double[] convReference(float[] weights, float[] bias, float[] x) {
        double[] out = new double[IMAGES * CT * H * W];
        for (int i = 0; i < IMAGES; i++) {
            for (int t = 0; t < CT; t++) {
                for (int y = 0; y < H; y++) {
                    for (int xx = 0; xx < W; xx++) {
                        double acc = bias[t];
                        for (int c = 0; c < CS; c++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int sy = y + ky - 1;
                                    int sx = xx + kx - 1;
                                    if (sy >= 0 && sy < H && sx >= 0 && sx < W) {
                                        acc += (double) x[((i * CS + c) * H + sy) * W + sx]
                                                * weights[(c * 9 + ky * 3 + kx) * CT + t];
                                    }
                                }
                            }
                        }
                        out[((i * CT + t) * H + y) * W + xx] = acc;
                    }
                }
            }
        }
        return out;
    }

    private static void assertConvClose(Layer layer, float[] x, double[] expected, double tolerance) {
        float[] out = new float[expected.length];
        layer.forward(x, IMAGES, out);
        for (int i = 0; i < out.length; i++) {
            assertThat((double) out[i]).isCloseTo(expected[i], offset(tolerance));
        }
    }

    @Test
    void convLayersEqualFloatConvolutionWithTheWeightsEachFormatStandsFor() {
        float[] wc = gaussian(CS * 9 * CT, 0.2);
        float[] bc = gaussian(CT, 1);
        float[] xc = relu(IMAGES * CS * H * W);
        // sums of 45 terms of order 0.2: 1e-4
        assertConvClose(cpu.denseConv(wc, CS, CT, H, W, bc), xc, convReference(wc, bc, xc), 1e-4);
        BinaryCodes codes = BinaryWeights.bwn(wc, CS * 9, CT);
        assertConvClose(cpu.binaryConv(codes, CS, H, W, bc), xc, convReference(codes.weights(), bc, xc), 1e-4);
        PqLayer pq = PqLayer.learn(wc, CS * 9, CT, 9, 1, 4, null, null, 0, 5, 0, rnd);
        assertConvClose(cpu.lookupConv(pq, H, W, bc), xc, convReference(pq.reconstruct(), bc, xc), 1e-4);
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(wc, CS * 9, CT);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 3, 8);
        float[] wd = new float[wc.length];
        for (int k = 0; k < CS * 9; k++) {
            for (int j = 0; j < CT; j++) {
                wd[k * CT + j] = w8.scale()[j] * w8.q()[k * CT + j];
            }
        }
        float[] xd = new float[xc.length];
        for (int i = 0; i < xc.length; i++) {
            xd[i] = xq.apply(xc[i]);
        }
        assertConvClose(cpu.int8Conv(w8, CS, H, W, xq, bc), xc, convReference(wd, bc, xd), 1e-4);
    }

    @Test
    void benchmarkReportsEveryFormatAndTheModelOnTheCpuBackend() {
        BenchmarkReport report = new BenchmarkReport(r -> { });
        new CnnQuantBenchmark().run(report, Backend.cpu(), true, CancellationToken.none());
        List<BenchmarkReport.Row> rows = report.rows();
        for (String metric : List.of("float32 time per image", "int8 speed-up over float32",
                "binary speed-up over float32", "qcnn-lut speed-up over float32", "qcnn-lut op-count model speed-up")) {
            assertThat(rows).filteredOn(r -> r.metric().equals(metric)).hasSize(4)
                    .allSatisfy(r -> assertThat(r.value()).isPositive());
        }
        // 1568 x 256 at C_s' = 8, K = 16: 401,408 / (25,088 + 50,176) operations
        assertThat(rows).filteredOn(r -> r.metric().equals("qcnn-lut op-count model speed-up")).first()
                .satisfies(r -> assertThat(r.value()).isCloseTo(5.333, offset(0.001)));
        assertThat(rows).filteredOn(r -> r.metric().endsWith("time per image"))
                .allSatisfy(r -> assertThat(r.note()).contains("cpu kernels"));
    }
}
