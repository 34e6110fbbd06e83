package org.mlsysworkbench.algorithms.nerf;

import java.util.List;
import java.util.Set;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;
import org.mlsysworkbench.algorithms.core.Json;

/**
 * A SpikingNeRF run: which scene, the coarse (density + direct colour) and fine (density + feature grid + colour
 * network) stages, which colour networks to train on the same coarse geometry, and the energy constants.
 *
 * @param scene              {@code procedural-volume}, {@code procedural-surface}, {@code npz} or {@code blender}
 * @param dataPath           the npz file or transforms.json for {@code npz}/{@code blender} (relative paths resolve
 *                           against the shared data folder); empty otherwise
 * @param imageSize          procedural views are rendered at imageSize x imageSize
 * @param trainViews         procedural training views
 * @param testViews          procedural held-out views
 * @param background         grey level of the background the views are composited on (1 = white, as DVGO
 *                           trains Blender scenes; 0 = black)
 * @param holdoutEvery       loaded data: view i is held out when {@code i % holdoutEvery == 0}
 * @param boxMin             scene box, world units
 * @param boxMax             scene box, world units
 * @param sweepResolutions   coarse-only resolutions to evaluate (PSNR vs grid resolution); may be empty
 * @param coarseResolution   coarse grid points along the longest box side
 * @param coarseIterations   coarse Adam steps
 * @param fineResolution     fine grid points along the longest box side
 * @param fineIterations     fine Adam steps per variant
 * @param raysPerBatch       rays per Adam step
 * @param gridLr             Adam learning rate of the grids (DVGO: 0.1)
 * @param netLr              Adam learning rate of the colour network (DVGO: 1e-3)
 * @param hidden             hidden width of the colour network (128)
 * @param featureChannels    k0 feature channels (12; 39 network inputs)
 * @param variants           colour networks: {@code ann}, {@code snn-tc} (condensing), {@code snn-tp} (padding)
 * @param tau                LIF time constant (2)
 * @param threshold          LIF threshold (1)
 * @param alphaInit          alpha of one step of the untrained density (DVGO: 1e-6 coarse, 1e-2 fine; short
 *                           schedules need 1e-2)
 * @param maskThreshold      rendering weight a coarse sample needs for its cell to stay in the occupancy mask (1e-3)
 * @param colorThreshold     DVGO fast_color_thres of the fine stage (1e-4)
 * @param macPj              energy per MAC, pJ (4.6)
 * @param acPj               energy per accumulate, pJ (0.9)
 * @param threads            worker threads, 0 = all processors (results do not depend on it)
 */
public record NerfConfig(int schemaVersion, long seed, String scene, String dataPath, int imageSize, int trainViews,
                         int testViews, double background, int holdoutEvery, double[] boxMin, double[] boxMax, int[] sweepResolutions,
                         int coarseResolution, int coarseIterations, int fineResolution, int fineIterations,
                         int raysPerBatch, double gridLr, double netLr, int hidden, int featureChannels,
                         List<String> variants, double tau, double threshold, double alphaInit, double maskThreshold,
                         double colorThreshold, double macPj, double acPj, int threads) implements ExperimentConfig {

    public static final int SCHEMA = 1;
    static final Set<String> SCENES = Set.of("procedural-volume", "procedural-surface", "npz", "blender");
    static final Set<String> VARIANTS = Set.of("ann", "snn-tc", "snn-tp");

    public NerfConfig {
        variants = variants == null ? List.of() : List.copyOf(variants);
        dataPath = dataPath == null ? "" : dataPath;
        sweepResolutions = sweepResolutions == null ? new int[0] : sweepResolutions.clone();
    }

    /** The quick default: the procedural volume scene, coarse and fine stages, ANN and both SNN packings. */
    public static NerfConfig defaults() {
        return new NerfConfig(SCHEMA, 42, "procedural-volume", "", 40, 24, 4, 1.0, 10, new double[]{-1.5, -1.5, -1.5},
                new double[]{1.5, 1.5, 1.5}, new int[]{6, 10}, 24, 150, 32, 40, 256, 0.1, 1e-2, 128, 12,
                List.of("ann", "snn-tc", "snn-tp"), 2.0, 1.0, 1e-2, 1e-3, 1e-3, 4.6, 0.9, 0);
    }

    @Override
    public NerfConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", String.valueOf(SCHEMA));
        ConfigException.require(scene != null && SCENES.contains(scene), "scene", "one of " + SCENES);
        ConfigException.require(!(scene.equals("npz") || scene.equals("blender")) || !dataPath.isBlank(), "dataPath",
                "a file path when scene is " + scene);
        ConfigException.require(imageSize >= 8 && imageSize <= 1024, "imageSize", "8..1024");
        ConfigException.require(trainViews >= 1 && trainViews <= 1000, "trainViews", "1..1000");
        ConfigException.require(testViews >= 1 && testViews <= 200, "testViews", "1..200");
        ConfigException.require(background >= 0 && background <= 1, "background", "a grey level in 0..1");
        ConfigException.require(holdoutEvery >= 2, "holdoutEvery", ">= 2");
        ConfigException.require(boxMin != null && boxMin.length == 3, "boxMin", "3 numbers");
        ConfigException.require(boxMax != null && boxMax.length == 3, "boxMax", "3 numbers");
        for (int a = 0; a < 3; a++) {
            ConfigException.require(boxMax[a] > boxMin[a], "boxMax", "each value greater than boxMin's");
        }
        for (int r : sweepResolutions) {
            ConfigException.require(r >= 4 && r <= 256, "sweepResolutions", "values in 4..256");
        }
        ConfigException.require(coarseResolution >= 4 && coarseResolution <= 256, "coarseResolution", "4..256");
        ConfigException.require(fineResolution >= 4 && fineResolution <= 256, "fineResolution", "4..256");
        ConfigException.require(coarseIterations >= 1, "coarseIterations", ">= 1");
        ConfigException.require(fineIterations >= 0, "fineIterations", ">= 0");
        ConfigException.require(raysPerBatch >= 16 && raysPerBatch <= 65536, "raysPerBatch", "16..65536");
        ConfigException.require(gridLr > 0 && netLr > 0, "gridLr", "positive learning rates");
        ConfigException.require(hidden >= 2 && hidden <= 1024, "hidden", "2..1024");
        ConfigException.require(featureChannels >= 1 && featureChannels <= 64, "featureChannels", "1..64");
        ConfigException.require(!variants.isEmpty() && VARIANTS.containsAll(variants), "variants",
                "a non-empty list of " + VARIANTS);
        ConfigException.require(tau > 1, "tau", "> 1");
        ConfigException.require(threshold > 0, "threshold", "> 0");
        ConfigException.require(alphaInit > 0 && alphaInit < 0.5, "alphaInit", "in (0, 0.5)");
        ConfigException.require(maskThreshold > 0 && maskThreshold < 1, "maskThreshold", "in (0, 1)");
        ConfigException.require(colorThreshold > 0 && colorThreshold < 1, "colorThreshold", "in (0, 1)");
        ConfigException.require(macPj > 0, "macPj", "> 0");
        ConfigException.require(acPj >= 0, "acPj", ">= 0");
        ConfigException.require(threads >= 0 && threads <= 256, "threads", "0..256");
        return this;
    }

    /** Value equality, arrays compared by content (a record compares array references). */
    @Override
    public boolean equals(Object o) {
        return o instanceof NerfConfig c && Json.write(this).equals(Json.write(c));
    }

    @Override
    public int hashCode() {
        return Json.write(this).hashCode();
    }

    /** The same config with other variants (for quick previews). */
    public NerfConfig withVariants(List<String> v) {
        return new NerfConfig(schemaVersion, seed, scene, dataPath, imageSize, trainViews, testViews, background, holdoutEvery,
                boxMin, boxMax, sweepResolutions, coarseResolution, coarseIterations, fineResolution, fineIterations,
                raysPerBatch, gridLr, netLr, hidden, featureChannels, v, tau, threshold, alphaInit, maskThreshold, colorThreshold,
                macPj, acPj, threads);
    }

    /** The same config with other energy constants. */
    public NerfConfig withEnergy(double mac, double ac) {
        return new NerfConfig(schemaVersion, seed, scene, dataPath, imageSize, trainViews, testViews, background, holdoutEvery,
                boxMin, boxMax, sweepResolutions, coarseResolution, coarseIterations, fineResolution, fineIterations,
                raysPerBatch, gridLr, netLr, hidden, featureChannels, variants, tau, threshold, alphaInit, maskThreshold,
                colorThreshold, mac, ac, threads);
    }

    public EnergyModel energy() {
        return new EnergyModel(macPj, acPj);
    }
}
