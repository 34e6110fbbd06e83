package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Static per-tensor int8 quantization of KV entries: the error bound and the clamp. */
class Int8KvTest {

    @Test void roundTripErrorIsAtMostHalfAScaleInsideTheRange() {
        SplittableRandom r = new SplittableRandom(4);
        float maxAbs = 3.7f;
        float scale = Int8Kv.scaleFor(maxAbs);
        assertThat(scale).isEqualTo(maxAbs / 127);
        for (int i = 0; i < 10_000; i++) {
            float x = (float) ((r.nextDouble() * 2 - 1) * maxAbs);
            float back = Int8Kv.dequantize(Int8Kv.quantize(x, scale), scale);
            // |x - q s| <= s / 2, plus float32 rounding of the product
            assertThat((double) Math.abs(back - x)).isLessThanOrEqualTo(scale / 2 * (1 + 1e-5));
        }
        assertThat(Int8Kv.quantize(maxAbs, scale)).isEqualTo((byte) 127);
        assertThat(Int8Kv.quantize(-maxAbs, scale)).isEqualTo((byte) -127);
    }

    @Test void valuesBeyondTheCalibratedRangeClamp() {
        float scale = Int8Kv.scaleFor(1f);
        assertThat(Int8Kv.quantize(5f, scale)).isEqualTo((byte) 127);
        assertThat(Int8Kv.quantize(-5f, scale)).isEqualTo((byte) -127);
        float[] x = {0.5f, 2f, -0.25f};
        Int8Kv.roundTrip(x, 1, 2, scale);
        assertThat(x[0]).isEqualTo(0.5f);
        assertThat(x[1]).isEqualTo(1f);
        assertThat(Math.abs(x[2] + 0.25f)).isLessThanOrEqualTo(scale / 2);
        assertThat(Int8Kv.scaleFor(0f)).isEqualTo(1f);
    }
}
