package org.mlsysworkbench.algorithms.nerf;

import java.util.List;

/**
 * What a {@link NerfExperiment} run produced (the run folder holds the durable copy: PNGs, CSV, checkpoints).
 *
 * @param test        held-out views
 * @param coarse      the coarse model (its mask caches the empty space of every fine model)
 * @param coarsePsnr  held-out PSNR of the coarse model, dB
 * @param sweep       PSNR against grid resolution (coarse stage only)
 * @param variants    one entry per trained colour network
 */
public record NerfResult(NerfViews test, NerfModel coarse, double coarsePsnr, List<SweepPoint> sweep,
                         List<Variant> variants) {

    public NerfResult {
        sweep = List.copyOf(sweep);
        variants = List.copyOf(variants);
    }

    /** Held-out PSNR of a coarse model trained at one resolution. */
    public record SweepPoint(int resolution, double psnrDb) {
    }

    /**
     * One trained colour network.
     *
     * @param name          {@code ann}, {@code snn-tc} or {@code snn-tp}
     * @param psnrDb        mean held-out PSNR
     * @param ssim          mean held-out SSIM
     * @param ops           operation counts over all held-out views
     * @param snnEnergyPj   modelled energy of this network (for the ANN: its MAC energy)
     * @param annEnergyPj   modelled energy of the ANN of the same shape on the same shaded samples
     * @param reduction     {@code 1 - snn / ann} (0 for the ANN itself)
     * @param packingSteps  T of the packed spike tensor of held-out view 0 (padding or condensing)
     * @param occupancy     valid / (T x R) of that tensor
     * @param trainCurve    training MSE per step
     * @param trainSeconds  measured wall-clock training time (not in metrics.csv, which stays deterministic)
     */
    public record Variant(String name, NerfModel model, double psnrDb, double ssim, EnergyModel.OpCounts ops,
                          double snnEnergyPj, double annEnergyPj, double reduction, int packingSteps, double occupancy,
                          float[] trainCurve, double trainSeconds) {
    }
}
