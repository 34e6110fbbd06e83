package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizersTest {

    @Test
    void asymmetricQuantizerOnHandCheckedValues() {
        // range [-1, 2] at 2 bits: s = 3 / 3 = 1, z = round(1 / 1) = 1, codes 0..3 stand for -1, 0, 1, 2
        UniformQuantizer q = UniformQuantizer.forRange(-1, 2, 2);
        assertThat(q.scale()).isEqualTo(1f);
        assertThat(q.zeroPoint()).isEqualTo(1);
        assertThat(q.quantize(0.4f)).isEqualTo(1);
        assertThat(q.apply(0.4f)).isEqualTo(0f);
        assertThat(q.apply(1.6f)).isEqualTo(2f);
        assertThat(q.apply(-5f)).isEqualTo(-1f);
        assertThat(q.apply(0f)).isEqualTo(0f);
        // a positive-only range is widened to contain 0: [0, 2.55] at 8 bits has s = 0.01, z = 0
        UniformQuantizer r = UniformQuantizer.forRange(0.5, 2.55, 8);
        assertThat(r.scale()).isCloseTo(0.01f, offset(1e-7f));
        assertThat(r.zeroPoint()).isZero();
        assertThat(r.quantize(1.234f)).isEqualTo(123);
        assertThat(r.formula()).isEqualTo("f = 0.0100000 * (q - 0), q in 0..255");
    }

    @Test
    void perChannelQuantizesEachColumnOnItsOwnRange() {
        // S = 2, N = 2: column 0 spans [-1, 1], column 1 spans [0, 100]
        float[] w = {-1f, 0f, 1f, 100f};
        UniformQuantizer[] qs = new UniformQuantizer[2];
        float[] out = UniformQuantizer.perChannel(w, 2, 2, 8, qs);
        assertThat(qs[0].scale()).isCloseTo(2f / 255, offset(1e-7f));
        assertThat(qs[1].scale()).isCloseTo(100f / 255, offset(1e-6f));
        assertThat(out[0]).isCloseTo(-1f, offset(2f / 255));
        assertThat(out[3]).isCloseTo(100f, offset(100f / 255));
        assertThat(out[1]).isEqualTo(0f);
    }

    @Test
    void bwnhWithIdentityCovarianceIsBwnExactly() {
        SplittableRandom rnd = new SplittableRandom(1);
        int s = 20;
        int n = 7;
        float[] w = new float[s * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) SmallCnn.gaussian(rnd);
        }
        BinaryCodes bwn = BinaryWeights.bwn(w, s, n);
        BinaryCodes bwnh = BinaryWeights.bwnh(w, s, n, BinaryWeights.identity(s), 10);
        assertThat(bwnh.signs()).containsExactly(bwn.signs());
        for (int j = 0; j < n; j++) {
            assertThat(bwnh.alpha()[j]).isCloseTo(bwn.alpha()[j], offset(1e-6f));
        }
        assertThat(bwn.flippedFraction(w)).isZero();
    }

    @Test
    void bwnhPreservesInnerProductsBetterThanBwnOnCorrelatedInputs() {
        SplittableRandom rnd = new SplittableRandom(2);
        int s = 16;
        int n = 6;
        int samples = 400;
        float[] x = new float[samples * s];
        for (int i = 0; i < samples; i++) {
            double common = SmallCnn.gaussian(rnd);
            for (int k = 0; k < s; k++) {
                // strongly correlated, unequal-variance inputs: the case where H != I matters
                x[i * s + k] = (float) ((k + 1) * 0.2 * (common + 0.5 * SmallCnn.gaussian(rnd)));
            }
        }
        float[] w = new float[s * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) SmallCnn.gaussian(rnd);
        }
        double[] h = BinaryWeights.gram(x, samples, s);
        BinaryCodes bwn = BinaryWeights.bwn(w, s, n);
        BinaryCodes bwnh = BinaryWeights.bwnh(w, s, n, h, 20);
        double eBwn = BinaryWeights.relativeError(w, bwn, h, s, n);
        double eBwnh = BinaryWeights.relativeError(w, bwnh, h, s, n);
        assertThat(eBwnh).isLessThan(eBwn);
        double[] hist = bwnh.errorHistory();
        for (int i = 1; i < hist.length; i++) {
            // alternating minimisation never increases the objective (float rounding slack 1e-9)
            assertThat(hist[i]).isLessThanOrEqualTo(hist[i - 1] + 1e-9);
        }
        assertThat(bwnh.flippedFraction(w)).isGreaterThan(0);
    }
}
