package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels.FcLayer;
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

    private static void assertClose(FcLayer layer, float[] x, double[] expected, double tolerance) {
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

    @Test
    void benchmarkReportsEveryFormatAndTheModelOnTheCpuBackend() {
        BenchmarkReport report = new BenchmarkReport(r -> { });
        new CnnQuantBenchmark().run(report, Backend.cpu(), true, CancellationToken.none());
        List<BenchmarkReport.Row> rows = report.rows();
        for (String metric : List.of("float32 time per image", "int8 speed-up over float32",
                "binary speed-up over float32", "qcnn-lut speed-up over float32", "qcnn-lut op-count model speed-up")) {
            assertThat(rows).filteredOn(r -> r.metric().equals(metric)).hasSize(3)
                    .allSatisfy(r -> assertThat(r.value()).isPositive());
        }
        // 1568 x 256 at C_s' = 8, K = 16: 401,408 / (25,088 + 50,176) operations
        assertThat(rows).filteredOn(r -> r.metric().equals("qcnn-lut op-count model speed-up")).first()
                .satisfies(r -> assertThat(r.value()).isCloseTo(5.333, offset(0.001)));
        assertThat(rows).filteredOn(r -> r.metric().endsWith("time per image"))
                .allSatisfy(r -> assertThat(r.note()).contains("cpu kernels"));
    }
}
