package org.mlsysworkbench.algorithms.snn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LifAndPackerTest {

    @Test
    void lifFollowsTheThreeLineDynamicsExactly() {
        LifNeuron n = LifNeuron.PAPER;
        float[] x = {1.5f, 1.5f, 0.4f, 2.5f, 0f, 0f, 3f};
        // by hand, tau 2, V_th 1, hard reset to 0:
        // t0: H = 0 + (1.5 - 0)/2 = 0.75 -> no spike, V 0.75
        // t1: H = 0.75 + (1.5 - 0.75)/2 = 1.125 -> spike, V 0
        // t2: H = 0.2 -> no, V 0.2; t3: H = 0.2 + (2.5 - 0.2)/2 = 1.35 -> spike, V 0
        // t4: H 0; t5: H 0; t6: H = 1.5 -> spike
        assertThat(n.run(x)).containsExactly(0f, 1f, 0f, 1f, 0f, 0f, 1f);
        assertThat(n.charge(0.75f, 1.5f)).isEqualTo(1.125f);
        assertThat(n.afterReset(1.125f, 1f)).isEqualTo(0f);
        assertThat(n.decay(0.8f, 3)).isEqualTo(0.1f);
    }

    @Test
    void zeroInputStepsOnlyDecayTheMembrane() {
        LifNeuron n = LifNeuron.PAPER;
        float v = 0.9f;
        float stepped = v;
        for (int i = 0; i < 4; i++) {
            float h = n.charge(stepped, 0f);
            assertThat(n.fire(h)).isZero();
            stepped = n.afterReset(h, 0f);
        }
        assertThat(n.decay(v, 4)).isCloseTo(stepped, org.assertj.core.data.Offset.offset(1e-7f));
    }

    @Test
    void packersArePermutationsWhoseInverseRestoresTheSamples() {
        SplittableRandom rnd = new SplittableRandom(5);
        int rays = 37;
        int[] start = new int[rays + 1];
        java.util.List<Integer> steps = new java.util.ArrayList<>();
        for (int r = 0; r < rays; r++) {
            int s = rnd.nextInt(3);
            int count = rnd.nextInt(9);
            for (int i = 0; i < count; i++) {
                s += 1 + rnd.nextInt(4);
                steps.add(s);
            }
            start[r + 1] = steps.size();
        }
        int[] step = steps.stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[step.length * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rnd.nextDouble();
        }
        for (TemporalPacking mode : TemporalPacking.values()) {
            TemporalPacker.Packed p = TemporalPacker.pack(mode, start, step);
            // a permutation into the valid slots: every sample a distinct slot, every valid slot one sample
            java.util.Set<Integer> slots = new java.util.HashSet<>();
            for (int i = 0; i < step.length; i++) {
                assertThat(slots.add(p.slotOfSample()[i])).isTrue();
                assertThat(p.sampleOfSlot()[p.slotOfSample()[i]]).isEqualTo(i);
                assertThat(p.slotOfSample()[i] % rays).as("ray of sample " + i).isEqualTo(rayOf(start, i));
            }
            long padded = java.util.Arrays.stream(p.sampleOfSlot()).filter(s -> s < 0).count();
            assertThat(padded + step.length).isEqualTo((long) p.steps() * rays);
            assertThat(p.unpack(p.pack(values, 2), 2)).containsExactly(values);
        }
        TemporalPacker.Packed tc = TemporalPacker.pack(TemporalPacking.CONDENSING, start, step);
        TemporalPacker.Packed tp = TemporalPacker.pack(TemporalPacking.PADDING, start, step);
        int longest = 0;
        for (int r = 0; r < rays; r++) {
            longest = Math.max(longest, start[r + 1] - start[r]);
        }
        int min = java.util.Arrays.stream(step).min().orElseThrow();
        int max = java.util.Arrays.stream(step).max().orElseThrow();
        assertThat(tc.steps()).isEqualTo(longest);
        assertThat(tp.steps()).isEqualTo(max - min + 1);
        assertThat(tc.occupancy()).isGreaterThan(tp.occupancy());
        assertThat(TemporalPacker.gaps(tc, start)).containsOnly(1);
        int[] gaps = TemporalPacker.gaps(tp, start);
        for (int r = 0; r < rays; r++) {
            for (int i = start[r] + 1; i < start[r + 1]; i++) {
                assertThat(gaps[i]).isEqualTo(step[i] - step[i - 1]);
            }
        }
    }

    private static int rayOf(int[] start, int i) {
        int r = 0;
        while (start[r + 1] <= i) {
            r++;
        }
        return r;
    }
}
