package org.mlsysworkbench.algorithms.graph.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselineQuantizersTest {

    @Test
    void symmetricUniformQuantizationIsExactOnTheGrid() {
        float[] x = {-1f, -0.5f, 0f, 0.26f, 1f};
        float[] out = new float[5];
        UniformQuantizer.symmetric(x, out, 2, 1f);   // qmax 1: levels -1, 0, 1
        assertThat(out).containsExactly(-1f, 0f, 0f, 0f, 1f);   // Math.round(-0.5) = 0: half rounds up
    }

    @Test
    void affineQuantizationKeepsZeroExactAndErrorBelowHalfAStep() {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-0.3, 2.0);
        }
        x[7] = 0f;
        float[] out = new float[x.length];
        UniformQuantizer.affine(x, out, 4, -0.3f, 2.0f);
        float step = 2.3f / 15;
        assertThat(out[7]).isZero();
        for (int i = 0; i < x.length; i++) {
            assertThat(Math.abs(out[i] - x[i])).isLessThanOrEqualTo(step / 2 + 1e-6f);
        }
    }

    @Test
    void degreeQuantMaskProbabilitiesFollowDegreeRank() {
        int[] deg = {5, 1, 9, 1};
        double[] p = DegreeQuant.protectionProbabilities(deg, 0.0, 0.1);
        // ranks: node1 0, node3 1, node0 2, node2 3 (stable for ties); p = 0.1 * rank / 4
        assertThat(p).containsExactly(new double[] {0.05, 0.0, 0.075, 0.025}, within(1e-12));
    }

    @Test
    void degreeQuantProtectsOnlyInTraining() {
        int n = 2000;
        int[] deg = new int[n];
        for (int i = 0; i < n; i++) {
            deg[i] = i;
        }
        DegreeQuant dq = new DegreeQuant(4, deg, 0.0, 1.0);
        float[] x = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) * 0.1f;
        }
        float[] out = new float[x.length];
        boolean[] keep = new boolean[n];
        int kept = dq.forward(x, out, 2, true, new SplittableRandom(1), keep);
        // expected protected count = sum p_i = n * (n-1) / (2n) ~ 1000, binomial sd ~ 18
        assertThat(kept).isBetween(900, 1100);
        int keptHigh = 0;
        for (int i = n / 2; i < n; i++) {
            keptHigh += keep[i] ? 1 : 0;
        }
        assertThat(keptHigh).isGreaterThan(kept / 2);
        assertThat(dq.forward(x, out, 2, false, new SplittableRandom(1), keep)).isZero();
    }

    @Test
    void nearestNeighbourStrategyPicksTheClosestQmaxUnderEitherConvention() {
        float[] alpha = {0.1f, 0.5f, 1.0f};
        float[] bits = {3f, 3f, 3f};   // qmax paper: 0.3, 1.5, 3.0 ; code: 0.4, 2.0, 4.0
        var paper = new NearestNeighborStrategy(alpha, bits, NearestNeighborStrategy.QmaxConvention.PAPER);
        var code = new NearestNeighborStrategy(alpha, bits, NearestNeighborStrategy.QmaxConvention.CODE);
        assertThat(paper.qmax(1)).isCloseTo(1.5, within(1e-6));
        assertThat(code.qmax(1)).isCloseTo(2.0, within(1e-6));
        assertThat(paper.assign(1.7f)).isEqualTo(1);
        assertThat(code.assign(3.1f)).isEqualTo(2);
        assertThat(paper.assign(3.1f)).isEqualTo(2);
        assertThat(code.assign(1.0f)).isEqualTo(0);   // |1.0-0.4| < |1.0-2.0|
    }
}
