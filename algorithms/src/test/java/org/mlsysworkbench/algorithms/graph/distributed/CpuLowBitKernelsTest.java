package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpuLowBitKernelsTest {

    private final CpuLowBitKernels k = new CpuLowBitKernels();

    private static float[] rows(int rows, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 7 == 0 ? 3 : 0.5));
        }
        return x;
    }

    @Test
    void packedMessagesDecodeToWhatTheRowCodecDelivers() {
        int rows = 37;
        int d = 45;   // not a multiple of 32: the last word of each row is partly used
        float[] x = rows(rows, d, 1);
        int[] nodes = new int[rows];
        for (int r = 0; r < rows; r++) {
            nodes[r] = 1000 + 3 * r;
        }
        for (int bits : new int[] {1, 2, 4, 8}) {
            for (LowBitCodec.Side side : LowBitCodec.Side.values()) {
                LowBitMessage m = k.quantize(x, rows, d, nodes, bits, side, 99);
                assertThat(m.words()).hasSize(rows * LowBitMessage.wordsPerRow(d, bits));
                float[] out = new float[rows * d];
                k.dequantize(m, out);
                float[] viaCodec = new float[rows * d];
                LowBitCodec codec = new LowBitCodec(bits, side);
                for (int r = 0; r < rows; r++) {
                    codec.roundTrip(x, r * d, viaCodec, r * d, d, 99, nodes[r]);
                }
                // one scheme, two entry points: bit-identical
                assertThat(out).as("%d bits, %s", bits, side).containsExactly(viaCodec);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < d; j++) {
                        assertThat(m.code(r, j)).isBetween(0, (1 << bits) - 1);
                    }
                }
                // payload: bits * d + side bits per row, in whole bytes
                assertThat(m.payloadBytes()).isEqualTo((rows * ((long) bits * d + side.bits()) + 7) / 8);
            }
        }
    }

    @Test
    void oneBitCodesFollowTheRowPositionBetweenMinAndMax() {
        // q = 1 with probability (x - lo) / (hi - lo): the row minimum always codes 0, the maximum always 1
        float[] x = {-2f, 0.5f, 3f, -2f, 3f};
        for (int seed = 0; seed < 200; seed++) {
            LowBitMessage m = k.quantize(x, 1, 5, new int[] {4}, 1, LowBitCodec.Side.FP32, seed);
            assertThat(m.code(0, 0)).isZero();
            assertThat(m.code(0, 3)).isZero();
            assertThat(m.code(0, 2)).isOne();
            assertThat(m.code(0, 4)).isOne();
        }
        int ones = 0;
        int trials = 20_000;
        for (int seed = 0; seed < trials; seed++) {
            ones += k.quantize(x, 1, 5, new int[] {4}, 1, LowBitCodec.Side.FP32, seed).code(0, 1);
        }
        // p = 2.5 / 5 = 0.5; sd of the count = sqrt(20000 * 0.25) = 70.7: within 4 sd
        assertThat(Math.abs(ones - trials * 0.5)).isLessThan(4 * 70.7);
    }

    @Test
    void constantRowsAndBadWidthsAreHandled() {
        LowBitMessage m = k.quantize(new float[] {1.25f, 1.25f, 1.25f}, 1, 3, new int[] {0}, 1,
                LowBitCodec.Side.BFLOAT16, 5);
        float[] out = new float[3];
        k.dequantize(m, out);
        assertThat(out).containsExactly(1.25f, 1.25f, 1.25f);
        assertThat(m.words()).containsOnly(0);
        assertThatThrownBy(() -> k.quantize(new float[3], 1, 3, new int[] {0}, 3, LowBitCodec.Side.FP32, 1))
                .hasMessageContaining("1, 2, 4 or 8");
    }
}
