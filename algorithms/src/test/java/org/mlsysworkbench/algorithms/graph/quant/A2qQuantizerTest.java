package org.mlsysworkbench.algorithms.graph.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class A2qQuantizerTest {

    @Test
    void forwardFollowsTheFormulaWithTiesAwayFromZeroAndClipping() {
        // b = 3 -> qmax = 3; alpha = 0.5
        A2qQuantizer q = new A2qQuantizer(1, 6, 3f, new float[] {0.5f});
        float[] x = {0.25f, -0.25f, 0.74f, 1.2f, -9f, 0f};
        float[] out = new float[6];
        q.forward(x, out);
        // 0.25/0.5 = 0.5 -> 1 (tie away from zero); 0.74/0.5 = 1.48 -> 1; 1.2/0.5 = 2.4 -> 2; -9 clips to -3
        assertThat(out).containsExactly(0.5f, -0.5f, 0.5f, 1.0f, -1.5f, 0f);
        assertThat(q.qmax(0)).isEqualTo(3);
        assertThat(q.reportedBits(0)).isEqualTo(2);
    }

    @Test
    void oneBitNodesAreZeroAndReportZeroBits() {
        A2qQuantizer q = new A2qQuantizer(2, 3, 4f, new float[] {0.1f, 0.1f});
        q.bits()[1] = 1.2f;   // round(|1.2|) = 1 -> qmax 0
        q.bits()[0] = -4.4f;  // |b| is used: 4 effective bits
        float[] x = {1f, -2f, 3f, 1f, -2f, 3f};
        float[] out = new float[6];
        q.forward(x, out);
        assertThat(out[3]).isZero();
        assertThat(out[4]).isZero();
        assertThat(out[5]).isZero();
        assertThat(out[0]).isEqualTo(0.7f, within(1e-6f));   // qmax 7 at alpha 0.1
        assertThat(q.reportedBits(1)).isZero();
        assertThat(q.reportedBits(0)).isEqualTo(3);
        assertThat(q.averageReportedBits()).isEqualTo(1.5);
    }

    @Test
    void straightThroughGradientIsZeroOutsideTheClipRange() {
        A2qQuantizer q = new A2qQuantizer(1, 3, 3f, new float[] {1f});
        float[] x = {0.4f, 5f, -2.9f};
        float[] xq = new float[3];
        q.forward(x, xq);
        float[] g = {1f, 1f, 1f};
        float[] gi = new float[3];
        q.backward(x, xq, g, gi, new float[1], new float[1]);
        assertThat(gi).containsExactly(1f, 0f, 1f);
    }

    /**
     * The Local Gradient descends ||x_q - x||_1: its sign must agree with a central finite difference
     * of that error wherever the difference is clearly non-zero.
     */
    @Test
    void localGradientSignsAgreeWithFiniteDifferencesOfTheL1Error() {
        SplittableRandom r = new SplittableRandom(11);
        int agreeAlpha = 0;
        int checkedAlpha = 0;
        int agreeBits = 0;
        int checkedBits = 0;
        for (int trial = 0; trial < 200; trial++) {
            int f = 16;
            float[] x = new float[f];
            for (int j = 0; j < f; j++) {
                x[j] = (float) (r.nextGaussian() * 0.5);
            }
            float alpha = (float) (0.01 + r.nextDouble() * 0.3);
            float bits = 2 + r.nextInt(4) + 0.2f;
            A2qQuantizer q = new A2qQuantizer(1, f, bits, new float[] {alpha});
            float[] xq = new float[f];
            q.forward(x, xq);
            float[] da = new float[1];
            float[] db = new float[1];
            q.backward(x, xq, new float[f], new float[f], da, db);

            double h = alpha * 1e-3;
            double up = errorAt(x, alpha + (float) h, bits);
            double down = errorAt(x, alpha - (float) h, bits);
            double fd = (up - down) / (2 * h);
            if (Math.abs(fd) > 1e-2 && Math.abs(da[0]) > 1e-3) {
                checkedAlpha++;
                if (Math.signum(fd) == Math.signum(da[0])) {
                    agreeAlpha++;
                }
            }
            // bits are discrete: compare with the error change of one more effective bit
            double more = errorAt(x, alpha, bits + 1);
            double now = errorAt(x, alpha, bits);
            if (Math.abs(now - more) > 1e-3 && Math.abs(db[0]) > 1e-6) {
                checkedBits++;
                if (Math.signum(more - now) == Math.signum(db[0])) {
                    agreeBits++;
                }
            }
        }
        assertThat(checkedAlpha).isGreaterThan(100);
        assertThat(checkedBits).isGreaterThan(20);
        // alpha's gradient is LSQ-style (round(x/a) - x/a, the STE view of rounding), not the exact slope of
        // the piecewise-linear error, so the signs agree on most but not all draws (measured 160/194)
        assertThat((double) agreeAlpha / checkedAlpha).isGreaterThanOrEqualTo(0.75);
        // more bits never increase the clipping error: the bits gradient agrees everywhere (measured 129/129)
        assertThat((double) agreeBits / checkedBits).isGreaterThanOrEqualTo(0.99);
    }

    /** Descending the Local Gradient from a bad start lowers ||x_q - x||_1 (what it is for). */
    @Test
    void descendingTheLocalGradientLowersTheQuantizationError() {
        SplittableRandom r = new SplittableRandom(2);
        int nodes = 50;
        int f = 32;
        float[] x = new float[nodes * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (1 + (i / f) % 5));   // rows of different magnitude
        }
        float[] alpha = new float[nodes];
        java.util.Arrays.fill(alpha, 0.01f);   // far too small: nearly everything clips
        A2qQuantizer q = new A2qQuantizer(nodes, f, 3f, alpha);
        double before = q.l1Error(x);
        float[] xq = new float[x.length];
        float[] scratch = new float[x.length];
        for (int step = 0; step < 300; step++) {
            float[] da = new float[nodes];
            float[] db = new float[nodes];
            q.forward(x, xq);
            q.backward(x, xq, scratch, scratch, da, db);
            for (int i = 0; i < nodes; i++) {
                q.alpha()[i] -= 0.01f * da[i];
            }
        }
        double after = q.l1Error(x);
        assertThat(after).as("L1 error after 300 steps vs before").isLessThan(0.5 * before);
    }

    private static double errorAt(float[] x, float alpha, float bits) {
        A2qQuantizer q = new A2qQuantizer(1, x.length, bits, new float[] {alpha});
        return q.l1Error(x);
    }

    @Test
    void memoryPenaltyMatchesTheSpecSheetSanityCheckAndItsGradient() {
        float[] alpha = new float[2708];
        java.util.Arrays.fill(alpha, 0.01f);
        A2qQuantizer q = new A2qQuantizer(2708, 16, 4f, alpha);
        assertThat(MemoryPenalty.kilobytes(List.of(q))).isCloseTo(21.16, within(0.01));   // 2708*16*4/8/1024
        MemoryPenalty p = new MemoryPenalty(2.5, 5);
        float[] g = new float[2708];
        double loss = p.backward(List.of(q), List.of(g));
        assertThat(loss).isCloseTo(2.5 * Math.pow(21.156 - 5, 2), within(0.05));
        // finite difference of L_mem in b_0
        q.bits()[0] += 1e-2f;
        double up = p.loss(List.of(q));
        q.bits()[0] -= 2e-2f;
        double down = p.loss(List.of(q));
        assertThat((double) g[0]).isCloseTo((up - down) / 2e-2, within(1e-3));
        assertThat(new MemoryPenalty(2.5, 100).loss(List.of(q))).isZero();
    }
}
