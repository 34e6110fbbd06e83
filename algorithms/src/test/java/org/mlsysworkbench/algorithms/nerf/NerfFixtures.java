package org.mlsysworkbench.algorithms.nerf;

import java.util.SplittableRandom;

/** Seeded NeRF scenes for renderer tests (shared with the Vulkan parity tests through the test-jar). */
public final class NerfFixtures {

    private NerfFixtures() {
    }

    /**
     * A 20^3 soft noisy ball in the box [-1, 1]^3 with random k0 features and an occupancy mask that leaves the
     * corners empty: rays cross thin and thick parts, some stop early on transmittance, some miss.
     */
    public static NerfModel randomScene(ColorNet net, int channels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        NerfModel m = NerfModel.empty(new float[]{-1, -1, -1}, new float[]{1, 1, 1}, 20, channels, net, 1e-2, 0.5f,
                0.03f, 1e-3f, 2f, 6f);
        for (int i = 0; i < m.voxels(); i++) {
            int x = i / (m.ny * m.nz);
            int y = (i / m.nz) % m.ny;
            int z = i % m.nz;
            double dx = (x - 9.5) / 9.5;
            double dy = (y - 9.5) / 9.5;
            double dz = (z - 9.5) / 9.5;
            // a soft ball with noise: rays cross thin and thick parts, some terminate early
            m.density[i] = (float) (4 - 9 * (dx * dx + dy * dy + dz * dz) + r.nextGaussian());
            m.mask[i] = dx * dx + dy * dy + dz * dz < 0.8;
        }
        for (int i = 0; i < m.features.length; i++) {
            m.features[i] = (float) r.nextGaussian();
        }
        return m;
    }

    /** A colour network of the spec's shape (12 features, 128 wide) with seeded weights. */
    public static ColorNet net(ColorNet.Kind kind, org.mlsysworkbench.algorithms.snn.TemporalPacking packing) {
        return ColorNet.init(kind, 12, 128, org.mlsysworkbench.algorithms.snn.LifNeuron.PAPER, packing,
                new SplittableRandom(5));
    }
}
