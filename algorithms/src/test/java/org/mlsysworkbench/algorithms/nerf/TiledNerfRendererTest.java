package org.mlsysworkbench.algorithms.nerf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * The fast tiled renderer (CpuNerfRenderKernels) against the reference NerfRenderer on a random voxel scene with a
 * partly empty occupancy mask, an image size that is not a multiple of the tile, and every colour-network kind.
 * Tolerances: ANN colours within 1e-5 per channel (the GEMMs reassociate float sums: measured 6e-8 on tiny lego);
 * the SNN and the coarse model bit for bit (same operations in the same order), spike counts exactly.
 */
class TiledNerfRendererTest {

    private static final float[] BG = {1f, 1f, 1f};

    private static ColorNet net(ColorNet.Kind kind, TemporalPacking packing) {
        return ColorNet.init(kind, 12, 128, LifNeuron.PAPER, packing, new SplittableRandom(5));
    }

    private static void assertSame(NerfModel m, double tol) {
        float[] pose = NerfViews.orbitPose(0.7, 0.4, 4.03);
        float focal = 30f;
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            NerfRenderer.Frame ref = NerfRenderer.render(m, pose, focal, 37, 29, BG, EnergyModel.HOROWITZ_45NM, one);
            NerfRenderer.Frame fast = TiledNerfRenderer.render(m, pose, focal, 37, 29, BG, EnergyModel.HOROWITZ_45NM,
                    two);
            assertThat(ref.ops().shaded()).as("shaded samples").isGreaterThan(2000L);
            assertThat(fast.ops()).isEqualTo(ref.ops());
            assertThat(fast.shaded()).isEqualTo(ref.shaded());
            double maxErr = 0;
            for (int i = 0; i < ref.rgb().length; i++) {
                maxErr = Math.max(maxErr, Math.abs(fast.rgb()[i] - ref.rgb()[i]));
            }
            assertThat(maxErr).as("max abs colour error").isLessThanOrEqualTo(tol);
            for (int p = 0; p < ref.depth().length; p++) {
                assertThat(fast.depth()[p]).isEqualTo(ref.depth()[p]);
                assertThat(fast.opacity()[p]).isEqualTo(ref.opacity()[p]);
                assertThat(Math.abs(fast.energyPj()[p] - ref.energyPj()[p]))
                        .isLessThanOrEqualTo(1e-6f * Math.max(1f, ref.energyPj()[p]));
            }
            // the same frame again from reused scratch buffers
            NerfRenderer.Frame again = TiledNerfRenderer.render(m, pose, focal, 37, 29, BG,
                    EnergyModel.HOROWITZ_45NM, two);
            assertThat(again.rgb()).isEqualTo(fast.rgb());
        }
    }

    @Test
    void annMatchesTheReferenceWithinFloatRounding() {
        assertSame(NerfFixtures.randomScene(net(ColorNet.Kind.ANN, TemporalPacking.CONDENSING), 12, 1), 1e-5);
    }

    @Test
    void snnWithCondensingMatchesBitForBit() {
        NerfModel m = NerfFixtures.randomScene(net(ColorNet.Kind.SNN, TemporalPacking.CONDENSING), 12, 2);
        assertSame(m, 0);
        try (Parallel one = new Parallel(1)) {
            EnergyModel.OpCounts ops = TiledNerfRenderer.render(m, NerfViews.orbitPose(0.7, 0.4, 4.03), 30f, 37, 29,
                    BG, EnergyModel.HOROWITZ_45NM, one).ops();
            assertThat(ops.firingRate1()).as("the test network must spike").isBetween(0.02, 0.98);
        }
    }

    @Test
    void snnWithPaddingMatchesBitForBit() {
        assertSame(NerfFixtures.randomScene(net(ColorNet.Kind.SNN, TemporalPacking.PADDING), 12, 3), 0);
    }

    @Test
    void coarseModelWithoutNetworkMatchesBitForBit() {
        assertSame(NerfFixtures.randomScene(null, 3, 4), 0);
    }
}
