package org.mlsysworkbench.algorithms.nerf;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The headless half of the {@code nerf} bench (CLI {@code run nerf}, GUI page). */
public final class NerfBench {

    public static final String ID = "nerf";

    private NerfBench() {
    }

    public static BenchDefinition<NerfConfig, NerfResult> definition() {
        return new BenchDefinition<>(ID, "SpikingNeRF",
                "A spiking colour network on a voxel-grid NeRF: PSNR, firing rates and modelled energy vs the ANN.",
                NerfConfig.class, NerfConfig.defaults(), new NerfExperiment(),
                List.of("default", "volume-100", "surface", "lego-tiny"));
    }
}
