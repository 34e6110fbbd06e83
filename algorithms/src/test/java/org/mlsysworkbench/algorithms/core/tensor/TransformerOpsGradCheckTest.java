package org.mlsysworkbench.algorithms.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The transformer ops (SiLU, RoPE, causal attention, RMSNorm, embedding) against finite differences in double
 * precision (relative error <= 1e-5, as {@link OpGradCheckTest}), and their forward values against direct
 * formulas.
 */
class TransformerOpsGradCheckTest {

    /** Acceptance bound for every op. */
    static final double TOL = 1e-5;

    private final SplittableRandom rnd = new SplittableRandom(13);

    private Tensor r(int... shape) {
        return Tensor.randn(DType.F64, rnd, 1.0, shape);
    }

    private static void ok(Function<Tensor[], Tensor> op, Tensor... in) {
        GradCheck.Result res = GradCheck.checkOp(op, 5, in);
        assertThat(res.maxRelError()).as(res.toString()).isLessThanOrEqualTo(TOL);
        assertThat(res.checked()).isPositive();
    }

    @Test void siluRopeAndRmsNormGradients() {
        ok(t -> Nn.silu(t[0]), r(3, 5));
        ok(t -> Nn.rope(t[0], 2), r(2, 5, 8));
        ok(t -> Nn.rmsNorm(t[0], t[1], 1e-5), r(4, 6), r(6));
    }

    @Test void causalAttentionGradientsForQueriesKeysAndValues() {
        ok(t -> Nn.causalAttention(t[0], t[1], t[2], 2), r(2, 5, 6), r(2, 5, 6), r(2, 5, 6));
    }

    @Test void embeddingGradientAccumulatesRepeatedIds() {
        ok(t -> Ops.mul(Nn.embedding(t[0], new int[] {2, 0, 2, 1}), t[1]), r(3, 4), r(4, 4));
    }

    @Test void ropeRotatesPairsByPositionAndKeepsNorms() {
        Tensor x = r(1, 3, 4);
        Tensor y = Nn.rope(x, 1);
        for (int pos = 0; pos < 3; pos++) {
            for (int i = 0; i < 4; i += 2) {
                double a = pos / Math.pow(10000.0, i / 4.0);
                double x0 = x.at(0, pos, i);
                double x1 = x.at(0, pos, i + 1);
                assertThat(y.at(0, pos, i)).isCloseTo(x0 * Math.cos(a) - x1 * Math.sin(a), within(1e-12));
                assertThat(y.at(0, pos, i + 1)).isCloseTo(x0 * Math.sin(a) + x1 * Math.cos(a), within(1e-12));
            }
        }
    }

    @Test void causalAttentionMatchesTheDirectFormulaAndIgnoresTheFuture() {
        Tensor q = r(1, 4, 4);
        Tensor k = r(1, 4, 4);
        Tensor v = r(1, 4, 4);
        Tensor y = Nn.causalAttention(q, k, v, 2);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 4; i++) {
                double[] w = new double[i + 1];
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int d = 0; d < 2; d++) {
                        dot += q.at(0, i, h * 2 + d) * k.at(0, j, h * 2 + d);
                    }
                    w[j] = Math.exp(dot / Math.sqrt(2));
                    sum += w[j];
                }
                for (int d = 0; d < 2; d++) {
                    double expect = 0;
                    for (int j = 0; j <= i; j++) {
                        expect += w[j] / sum * v.at(0, j, h * 2 + d);
                    }
                    assertThat(y.at(0, i, h * 2 + d)).isCloseTo(expect, within(1e-12));
                }
            }
        }
        // changing the last key and value leaves every earlier row unchanged
        Tensor k2 = k.copy();
        Tensor v2 = v.copy();
        k2.set(k2.size() - 1, 5.0);
        v2.set(v2.size() - 1, -5.0);
        Tensor y2 = Nn.causalAttention(q, k2, v2, 2);
        for (int i = 0; i < 12; i++) {
            assertThat(y2.get(i)).isEqualTo(y.get(i));
        }
    }

    @Test void float32AttentionAgreesWithFloat64() {
        Tensor q = r(2, 7, 8);
        Tensor k = r(2, 7, 8);
        Tensor v = r(2, 7, 8);
        Tensor y64 = Nn.causalAttention(q, k, v, 4);
        Tensor y32 = Nn.causalAttention(q.to(DType.F32), k.to(DType.F32), v.to(DType.F32), 4);
        for (int i = 0; i < y64.size(); i++) {
            // float32 rounding of inputs and of the softmax
            assertThat(y32.get(i)).isCloseTo(y64.get(i), within(1e-5));
        }
        assertThat(List.of(y32.shape()[0], y32.shape()[1], y32.shape()[2])).containsExactly(2, 7, 8);
    }
}
