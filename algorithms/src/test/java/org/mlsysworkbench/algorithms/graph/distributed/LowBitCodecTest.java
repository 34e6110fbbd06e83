package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LowBitCodecTest {

    @Test
    void oneBitQuantizationIsUnbiasedForFeaturesAndGradients() {
        for (LowBitCodec.Side side : LowBitCodec.Side.values()) {
            LowBitCodec c = new LowBitCodec(1, side);
            SplittableRandom data = new SplittableRandom(3);
            int d = 64;
            float[] h = new float[d];
            for (int j = 0; j < d; j++) {
                h[j] = (float) data.nextGaussian() * (j % 2 == 0 ? 1 : 1e-3f);   // features and gradient scales
            }
            int trials = 10_000;
            double[] mean = new double[d];
            float[] out = new float[d];
            for (int t = 0; t < trials; t++) {
                // a fresh message seed per trial: the counter-based draws are independent across seeds
                c.roundTrip(h, 0, out, 0, d, 0x51ED * t + 1, 42);
                for (int j = 0; j < d; j++) {
                    mean[j] += out[j] / trials;
                }
            }
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float v : h) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (int j = 0; j < d; j++) {
                double p = (h[j] - lo) / (hi - lo);
                double sigma = (hi - lo) * Math.sqrt(p * (1 - p) / trials);
                // within 3 sigma of h (plus bfloat16 rounding of lo and range: 2^-8 relative)
                double slack = side == LowBitCodec.Side.BFLOAT16 ? (Math.abs(lo) + (hi - lo)) / 128 : 1e-6;
                assertThat(Math.abs(mean[j] - h[j])).as("%s element %d", side, j)
                        .isLessThanOrEqualTo(3 * sigma + slack);
            }
        }
    }

    @Test
    void payloadCountsTheSideInformation() {
        assertThat(new LowBitCodec(1, LowBitCodec.Side.BFLOAT16).payloadBits(256)).isEqualTo(288);
        assertThat(new LowBitCodec(1, LowBitCodec.Side.FP32).payloadBits(602)).isEqualTo(666);
        assertThat(new LowBitCodec(32, LowBitCodec.Side.FP32).payloadBits(256)).isEqualTo(8192);
        // the spec sheet's derived ratios: 28.4x (d=256, bf16), 25.6x (d=256, fp32)
        assertThat(32.0 * 256 / 288).isBetween(28.4, 28.5);
        assertThat(32.0 * 256 / 320).isEqualTo(25.6);
        assertThatThrownBy(() -> new LowBitCodec(3, LowBitCodec.Side.FP32)).hasMessageContaining("1, 2, 4, 8 or 32");
    }

    @Test
    void constantRowsTravelExactlyAndFp32IsACopy() {
        LowBitCodec c = new LowBitCodec(1, LowBitCodec.Side.FP32);
        float[] row = {0.25f, 0.25f, 0.25f};
        float[] out = new float[3];
        c.roundTrip(row, 0, out, 0, 3, 1, 0);
        assertThat(out).containsExactly(0.25f, 0.25f, 0.25f);
        float[] x = {1.5f, -2f, 3f};
        new LowBitCodec(32, LowBitCodec.Side.FP32).roundTrip(x, 0, out, 0, 3, 1, 0);
        assertThat(out).containsExactly(x);
        // binary features are exact at one bit
        float[] bin = {0f, 1f, 1f, 0f};
        float[] o4 = new float[4];
        c.roundTrip(bin, 0, o4, 0, 4, 2, 7);
        assertThat(o4).containsExactly(bin);
    }
}
