package org.mlsysworkbench.algorithms.nerf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

class EnergyAndCheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void zeroSpikesGiveTheSpecSheetCeiling() {
        EnergyModel e = EnergyModel.HOROWITZ_45NM;
        EnergyModel.OpCounts ops = new EnergyModel.OpCounts(10, 1, 0, 0, 39, 128);
        // spec sheet: ANN 21,760 MACs = 100.1 nJ per sample; SNN floor 4,992 MACs = 22.96 nJ; 77.06 %
        assertThat(ops.annMacs()).isEqualTo(21760);
        assertThat(ops.snnMacs()).isEqualTo(4992);
        assertThat(e.annPj(ops)).isCloseTo(100096, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(e.reduction(ops)).isCloseTo(0.7706, org.assertj.core.data.Offset.offset(5e-5));
        assertThat(e.ceiling(39, 128)).isCloseTo(e.reduction(ops), org.assertj.core.data.Offset.offset(1e-12));
        // reduction ~ 77.06 % - r * 15.07 % with firing rate r in both layers
        double r = 0.42;
        EnergyModel.OpCounts firing = new EnergyModel.OpCounts(10, 1, r * 128, r * 128, 39, 128);
        assertThat(e.reduction(firing)).isCloseTo(0.7706 - r * 0.1507, org.assertj.core.data.Offset.offset(5e-4));
        assertThat(firing.firingRate1()).isCloseTo(r, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void countersMatchHandCountedSpikes() {
        // one ray, 3 shaded samples, a 2-unit network whose spikes are worked out by hand
        ColorNet net = new ColorNet(ColorNet.Kind.SNN, 1, 2, LifNeuron.PAPER, TemporalPacking.CONDENSING,
                new float[28 * 2], new float[]{3f, 0f, 0f, 0f}, new float[6]);
        net.w1[0] = 2.5f;   // feature -> unit 0 of layer 1
        net.w1[1] = 0.5f;   // feature -> unit 1 (never reaches the threshold alone: H <= 0.5 + 0.25 + ...)
        NerfModel m = NerfModel.empty(new float[]{-1, -1, -1}, new float[]{1, 1, 1}, 3, 1, net, 0.5, 10f, 1f, 1e-6f,
                0f, 10f);
        java.util.Arrays.fill(m.features, 1f);
        java.util.Arrays.fill(m.density, 0f);
        RayKernel k = new RayKernel();
        // step 10 * voxel 1 = 10 world units: one sample per box crossing; use a long box instead
        NerfModel fine = new NerfModel(m.boxMin, m.boxMax, m.nx, m.ny, m.nz, 1, m.density, m.features, m.mask, net,
                m.shift, 0.25f, 1f, 1e-6f, 0f, 10f);
        k.forward(fine, new float[]{0, 0, -5}, new float[]{0, 0, 1}, 0.5f, new float[3]);
        int shaded = k.ns;
        assertThat(shaded).isGreaterThan(2);
        // layer 1 unit 0: X = 2.5 every step -> H = 1.25 at t0 (spike), V 0, and again every step: spikes = shaded
        // unit 1: X = 0.5, V -> 0.25, 0.375, ... < 1: never; layer 2 unit 0 gets 3 * s = 3 -> H 1.5: spike each step
        assertThat(k.spikes1).isEqualTo(shaded);
        assertThat(k.spikes2).isEqualTo(shaded);
        EnergyModel.OpCounts ops = new EnergyModel.OpCounts(k.n, shaded, k.spikes1, k.spikes2, net.inputs(), 2);
        assertThat(ops.sops()).isEqualTo(shaded * 2 + shaded * 3);
        assertThat(ops.snnMacs()).isEqualTo(shaded * 28 * 2);
    }

    @Test
    void checkpointRoundTripsAndRendersTheSameImage() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        ColorNet net = ColorNet.init(ColorNet.Kind.SNN, 12, 16, LifNeuron.PAPER, TemporalPacking.PADDING, rnd);
        NerfModel m = NerfModel.empty(new float[]{-1, -1, -1}, new float[]{1, 1, 1}, 9, 12, net, 0.1, 0.5f, 0.02f,
                1e-4f, 2f, 6f);
        for (int i = 0; i < m.density.length; i++) {
            m.density[i] = (float) rnd.nextDouble() * 4 - 2;
            m.mask[i] = i % 7 != 0;
        }
        for (int i = 0; i < m.features.length; i++) {
            m.features[i] = (float) rnd.nextGaussian();
        }
        Path file = tmp.resolve("scene.snerf");
        NerfCheckpoint.save(m, file);
        NerfModel back = NerfCheckpoint.load(file);
        float[] pose = NerfViews.orbitPose(0.3, 0.5, 4.03);
        try (Parallel par = new Parallel(1)) {
            NerfRenderer.Frame a = NerfRenderer.render(m, pose, 40f, 24, 24, new float[3], EnergyModel.HOROWITZ_45NM, par);
            NerfRenderer.Frame b = NerfRenderer.render(back, pose, 40f, 24, 24, new float[3], EnergyModel.HOROWITZ_45NM, par);
            assertThat(b.rgb()).containsExactly(a.rgb());
            assertThat(b.ops()).isEqualTo(a.ops());
        }
        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.snerf");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> NerfCheckpoint.load(cut)).isInstanceOf(NerfFormatException.class)
                .hasMessageContaining("cut.snerf");
        Path junk = tmp.resolve("junk.snerf");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> NerfCheckpoint.load(junk)).isInstanceOf(NerfFormatException.class)
                .hasMessageContaining("junk.snerf").hasMessageContaining("header");
    }
}
