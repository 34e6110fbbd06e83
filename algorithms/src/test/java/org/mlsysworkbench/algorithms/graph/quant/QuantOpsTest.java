package org.mlsysworkbench.algorithms.graph.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.GradCheck;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;

/**
 * A2Q's quantizers as tensor-engine ops: forward equal to the spec sheet's formula (and to the hand-written
 * {@link A2qQuantizer}), every gradient checked against finite differences in float64 with the smooth
 * surrogate (the workbench's bound, max relative error 1e-5), the Local Gradient against differences of the
 * per-row mean |x_q - x|.
 */
class QuantOpsTest {

    private static final double TOLERANCE = 1e-5;

    private static Tensor randn(SplittableRandom r, double scale, int... shape) {
        return Tensor.randn(DType.F64, r, scale, shape);
    }

    private static Tensor positive(SplittableRandom r, double lo, double hi, int n) {
        return Tensor.uniform(DType.F64, r, lo, hi, n);
    }

    @Test
    void forwardEqualsTheFormulaAndTheHandWrittenQuantizer() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 7;
        int f = 5;
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        float[] alpha = {0.1f, 0.3f, 0.05f, 1f, 0.2f, 0.5f, 0.7f};
        float[] bits = {3f, 1.2f, 5f, 2f, 4.4f, -3f, 8f};   // node 1: round|b| = 1, zeroed
        A2qQuantizer hand = new A2qQuantizer(n, f, 4f, alpha);
        System.arraycopy(bits, 0, hand.bits(), 0, n);
        float[] expected = new float[x.length];
        hand.forward(x, expected);
        Tensor y = QuantOps.a2qRows(Tensor.of(x, n, f), Tensor.of(alpha, n), Tensor.of(bits, n),
                QuantOps.Gradient.LOCAL);
        for (int i = 0; i < x.length; i++) {
            assertThat(y.get(i)).as("element %d", i).isCloseTo(expected[i], within(1e-6));
        }
        for (int j = f; j < 2 * f; j++) {
            assertThat(y.get(j)).as("1-bit row is zero").isZero();
        }
    }

    @Test
    void taskGradientsPassTheGradientCheck() {
        SplittableRandom r = new SplittableRandom(2);
        Tensor x = randn(r, 1.5, 6, 4);
        Tensor alpha = positive(r, 0.1, 0.4, 6);
        Tensor bits = positive(r, 2.2, 4.8, 6);
        GradCheck.Result res = GradCheck.checkOp(in -> QuantOps.a2qRows(in[0], in[1], in[2], QuantOps.Gradient.TASK),
                3, x, alpha, bits);
        assertThat(res.passes(TOLERANCE)).as(res.toString()).isTrue();
    }

    @Test
    void groupedTaskGradientsScatterIntoTheTable() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor x = randn(r, 1.5, 9, 3);
        Tensor alpha = positive(r, 0.1, 0.4, 3);
        Tensor bits = positive(r, 2.2, 4.8, 3);
        int[] group = {0, 2, 2, 1, 0, 1, 2, 0, 0};
        GradCheck.Result res = GradCheck.checkOp(in -> QuantOps.a2qGrouped(in[0], in[1], in[2], group,
                QuantOps.Gradient.TASK), 5, x, alpha, bits);
        assertThat(res.passes(TOLERANCE)).as(res.toString()).isTrue();
    }

    @Test
    void channelQuantizerGradientsPassTheGradientCheck() {
        SplittableRandom r = new SplittableRandom(6);
        Tensor w = randn(r, 1.0, 5, 4);
        Tensor alpha = positive(r, 0.05, 0.3, 4);
        GradCheck.Result res = GradCheck.checkOp(in -> QuantOps.channels(in[0], in[1], 4, QuantOps.Gradient.TASK),
                7, w, alpha);
        assertThat(res.passes(TOLERANCE)).as(res.toString()).isTrue();
    }

    /** The Local Gradient equals the gradient of E = sum_rows mean_j |x_q - x| (smooth surrogate, float64). */
    @Test
    void localGradientIsTheGradientOfTheMeanL1Error() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 5;
        int f = 6;
        Tensor x = randn(r, 2.0, n, f);
        Tensor alpha = positive(r, 0.1, 0.5, n).requiresGrad(true);
        Tensor bits = positive(r, 2.2, 4.8, n).requiresGrad(true);
        Nn.smoothSurrogates(true);
        try {
            try (Tape tape = Tape.record()) {
                Tensor y = QuantOps.a2qRows(x, alpha, bits, QuantOps.Gradient.LOCAL);
                tape.backward(y, Tensor.zeros(DType.F64, n, f));   // no task gradient at all
            }
            for (Tensor p : new Tensor[] {alpha, bits}) {
                for (int i = 0; i < n; i++) {
                    double keep = p.get(i);
                    double eps = 1e-6;
                    p.set(i, keep + eps);
                    double up = meanL1(x, alpha, bits, f);
                    p.set(i, keep - eps);
                    double down = meanL1(x, alpha, bits, f);
                    p.set(i, keep);
                    double num = (up - down) / (2 * eps);
                    double an = p.grad().get(i);
                    double err = Math.abs(num - an) <= 1e-8 ? 0 : Math.abs(num - an) / (Math.abs(num) + Math.abs(an));
                    assertThat(err).as("%s[%d]: numeric %s, analytic %s", p == alpha ? "alpha" : "bits", i, num, an)
                            .isLessThanOrEqualTo(TOLERANCE);
                }
            }
        } finally {
            Nn.smoothSurrogates(false);
        }
    }

    private static double meanL1(Tensor x, Tensor alpha, Tensor bits, int f) {
        double e = 0;
        for (int i = 0; i < alpha.size(); i++) {
            double a = QuantOps.step(alpha.get(i));
            double q = QuantOps.qmax(bits.get(i), true);
            for (int j = i * f; j < (i + 1) * f; j++) {
                e += Math.abs(QuantOps.quantize(x.get(j), a, q, true) - x.get(j)) / f;
            }
        }
        return e;
    }

    /** The op's Local Gradient (rounding on) equals the hand-written quantizer's backward pass. */
    @Test
    void localGradientMatchesTheHandWrittenBackward() {
        SplittableRandom r = new SplittableRandom(10);
        int n = 6;
        int f = 8;
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(r.nextGaussian());
        }
        float[] alpha = {0.05f, 0.2f, 0.1f, 0.3f, 0.02f, 0.15f};
        float[] bits = {2f, 3f, 4f, 1f, 5f, 3f};
        A2qQuantizer hand = new A2qQuantizer(n, f, 4f, alpha);
        System.arraycopy(bits, 0, hand.bits(), 0, n);
        float[] xq = new float[x.length];
        hand.forward(x, xq);
        float[] g = new float[x.length];
        float[] gx = new float[x.length];
        float[] da = new float[n];
        float[] db = new float[n];
        hand.backward(x, xq, g, gx, da, db);
        Tensor ta = Tensor.of(alpha.clone(), n).requiresGrad(true);
        Tensor tb = Tensor.of(bits.clone(), n).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = QuantOps.a2qRows(Tensor.of(x, n, f), ta, tb, QuantOps.Gradient.LOCAL);
            tape.backward(y, Tensor.zeros(n, f));
        }
        for (int i = 0; i < n; i++) {
            assertThat(ta.grad().get(i)).as("alpha %d", i).isCloseTo(da[i], within(1e-5));
            assertThat(tb.grad().get(i)).as("bits %d", i).isCloseTo(db[i], within(1e-5));
        }
    }

    @Test
    void straightThroughCopiesTheGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = QuantOps.straightThrough(x, new float[] {0f, 2f, 4f});
            assertThat(y.get(2)).isEqualTo(4.0);
            tape.backward(y, Tensor.of(new double[] {0.5, -1, 2}, 3));
        }
        assertThat(x.grad().toDoubleArray()).containsExactly(0.5, -1, 2);
    }

    @Test
    void cpuKernelsQuantizeAggregateAndDequantizeConsistently() {
        SplittableRandom r = new SplittableRandom(12);
        int n = 9;
        int f = 4;
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        float[] alpha = new float[n];
        int[] qmax = new int[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = 0.1f + 0.05f * i;
            qmax[i] = i == 4 ? 0 : (1 << (1 + i % 4)) - 1;
        }
        CpuQuantKernels k = new CpuQuantKernels();
        int[] codes = new int[x.length];
        k.quantize(x, n, f, alpha, qmax, codes);
        float[] deq = new float[x.length];
        k.dequantize(codes, n, f, alpha, deq);
        for (int i = 0; i < n; i++) {
            for (int j = i * f; j < (i + 1) * f; j++) {
                assertThat(deq[j]).isCloseTo(A2qQuantizer.quantize(x[j], alpha[i], qmax[i]), within(1e-5f));
                assertThat(Math.abs(codes[j])).isLessThanOrEqualTo(qmax[i]);
            }
        }
        // a ring with self-loops: the quantized aggregate equals the aggregate of the dequantized rows
        int[] ptr = new int[n + 1];
        int[] cols = new int[3 * n];
        float[] vals = new float[3 * n];
        for (int i = 0; i < n; i++) {
            ptr[i + 1] = 3 * (i + 1);
            cols[3 * i] = (i + n - 1) % n;
            cols[3 * i + 1] = i;
            cols[3 * i + 2] = (i + 1) % n;
            vals[3 * i] = 1f;
            vals[3 * i + 1] = 1.5f;
            vals[3 * i + 2] = 1f;
        }
        float[] agg = new float[n * f];
        k.aggregate(ptr, cols, vals, n, codes, alpha, f, agg);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double want = 0;
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    want += vals[p] * deq[cols[p] * f + j];
                }
                assertThat(agg[i * f + j]).isCloseTo((float) want, within(1e-4f));
            }
        }
    }
}
