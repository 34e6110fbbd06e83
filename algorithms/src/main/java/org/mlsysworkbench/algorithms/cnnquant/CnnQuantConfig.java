package org.mlsysworkbench.algorithms.cnnquant;

import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The whole description of a {@code cnnquant} run: data, network, training, and the settings of BWN/BWNH,
 * zero-shot calibration (GZNQ-style BN-statistics synthesis) with post-training quantization, and Q-CNN.
 * Every seed trains its own network; accuracies are reported per seed and as the mean.
 *
 * @param dataset          {@code fashion-mnist}, {@code mnist} (test set split 8,000 / 2,000), {@code digits} (8x8)
 *                         or {@code procedural} (generated 16x16 digits, no files needed)
 * @param fashionMnistDir  folder of Debian's {@code dataset-fashion-mnist} files
 * @param dataDir          the shared data root ({@code vision/...}); empty for the default
 * @param trainLimit       at most this many training images (0 = all)
 * @param testLimit        at most this many test images (0 = all)
 * @param seeds            number of seeds ({@code seed}, {@code seed + 1}, ...), 1..5
 * @param c1               conv1 channels
 * @param c2               conv2 channels
 * @param hidden           fc1 width
 * @param epochs           FP32 training epochs
 * @param batchSize        training batch size
 * @param learningRate     Adam step size (cosine decay)
 * @param binaryLayers     layers BWN/BWNH binarise, names from {@code conv1, conv2, fc1, fc2}
 * @param bwnhSamples      training images whose layer inputs form BWNH's gram matrix
 * @param bwnhSweeps       BWNH alternating sweeps
 * @param fineTuneSteps    fine-tuning steps after binarisation (alpha, BN, float layers), same for BWN and BWNH
 * @param calibrationImages images per calibration set (real, synthetic, noise)
 * @param synthIterations  Adam steps of the BN-statistics synthesis
 * @param synthLearningRate its step size
 * @param synthCeWeight    weight of the class-conditional cross-entropy
 * @param synthPriorWeight weight of the total-variation prior
 * @param calibrator       {@code minmax} or {@code percentile}
 * @param percentile       percentile of the {@code percentile} calibrator, e.g. 99.99
 * @param bitPairs         weight/activation bit pairs of post-training quantization, e.g. {@code "8/8"}
 * @param pqSubDim         per layer C_s' of Q-CNN (0 keeps the layer in float)
 * @param pqCodewords      per layer K of Q-CNN
 * @param pqSamples        training images for Q-CNN's error correction
 * @param pqSweeps         error-correction sweeps
 * @param probeImages      test images of the per-layer error table
 * @param pqFineTuneSteps  fine-tuning steps after Q-CNN (codebooks with codes fixed, biases, float layers)
 * @param generator        the generator variant of zero-shot calibration ({@link GeneratorSynthesizer}): when set
 *                         with {@code steps > 0}, a fourth calibration set {@code synthetic-generator} is sampled
 *                         from a generator trained on the same BN-statistics + cross-entropy loss (weights
 *                         {@code synthCeWeight}, {@code synthPriorWeight}); absent (older configs) = off
 */
public record CnnQuantConfig(int schemaVersion, long seed, String dataset, String fashionMnistDir, String dataDir,
                             int trainLimit, int testLimit, int seeds, int c1, int c2, int hidden, int epochs,
                             int batchSize, double learningRate, List<String> binaryLayers, int bwnhSamples,
                             int bwnhSweeps, int fineTuneSteps, int calibrationImages, int synthIterations,
                             double synthLearningRate, double synthCeWeight, double synthPriorWeight,
                             String calibrator, double percentile, List<String> bitPairs, int[] pqSubDim,
                             int[] pqCodewords, int pqSamples, int pqSweeps, int probeImages,
                             int pqFineTuneSteps, GeneratorSynthesizer.Settings generator)
        implements ExperimentConfig {

    public static final int SCHEMA_VERSION = 1;

    public CnnQuantConfig {
        binaryLayers = binaryLayers == null ? List.of() : List.copyOf(binaryLayers);
        bitPairs = bitPairs == null ? List.of() : List.copyOf(bitPairs);
        pqSubDim = pqSubDim == null ? new int[0] : pqSubDim.clone();
        pqCodewords = pqCodewords == null ? new int[0] : pqCodewords.clone();
    }

    /** A config without the generator calibration set (the fields before {@code generator} was added). */
    public CnnQuantConfig(int schemaVersion, long seed, String dataset, String fashionMnistDir, String dataDir,
                          int trainLimit, int testLimit, int seeds, int c1, int c2, int hidden, int epochs,
                          int batchSize, double learningRate, List<String> binaryLayers, int bwnhSamples,
                          int bwnhSweeps, int fineTuneSteps, int calibrationImages, int synthIterations,
                          double synthLearningRate, double synthCeWeight, double synthPriorWeight,
                          String calibrator, double percentile, List<String> bitPairs, int[] pqSubDim,
                          int[] pqCodewords, int pqSamples, int pqSweeps, int probeImages, int pqFineTuneSteps) {
        this(schemaVersion, seed, dataset, fashionMnistDir, dataDir, trainLimit, testLimit, seeds, c1, c2, hidden,
                epochs, batchSize, learningRate, binaryLayers, bwnhSamples, bwnhSweeps, fineTuneSteps,
                calibrationImages, synthIterations, synthLearningRate, synthCeWeight, synthPriorWeight, calibrator,
                percentile, bitPairs, pqSubDim, pqCodewords, pqSamples, pqSweeps, probeImages, pqFineTuneSteps, null);
    }

    /** This config with another generator setting (null = no generator calibration set). */
    public CnnQuantConfig withGenerator(GeneratorSynthesizer.Settings g) {
        return new CnnQuantConfig(schemaVersion, seed, dataset, fashionMnistDir, dataDir, trainLimit, testLimit,
                seeds, c1, c2, hidden, epochs, batchSize, learningRate, binaryLayers, bwnhSamples, bwnhSweeps,
                fineTuneSteps, calibrationImages, synthIterations, synthLearningRate, synthCeWeight,
                synthPriorWeight, calibrator, percentile, bitPairs, pqSubDim, pqCodewords, pqSamples, pqSweeps,
                probeImages, pqFineTuneSteps, g);
    }

    /** Whether the {@code synthetic-generator} calibration set is built. */
    public boolean generatorEnabled() {
        return generator != null && generator.steps() > 0;
    }

    /** A quick default: the 8x8 digits, one seed, seconds on two cores. */
    public static CnnQuantConfig defaults() {
        return new CnnQuantConfig(SCHEMA_VERSION, 1, "digits", VisionDatasets.DEBIAN_FASHION_MNIST.toString(), "", 0, 0,
                1, 16, 32, 128, 10, 32, 2e-3, List.of("conv2", "fc1"), 512, 4, 60, 64, 60, 0.1, 0.5, 0.0005,
                "minmax", 99.99, List.of("8/8", "6/6", "4/8", "4/4"), new int[] {1, 4, 4, 0}, new int[] {8, 16, 16, 0},
                256, 2, 256, 60, GeneratorSynthesizer.Settings.defaults());
    }

    @Override
    public CnnQuantConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA_VERSION, "schemaVersion", String.valueOf(SCHEMA_VERSION));
        ConfigException.require(List.of("fashion-mnist", "mnist", "digits", "procedural").contains(dataset), "dataset",
                "one of fashion-mnist, mnist, digits, procedural, got '" + dataset + "'");
        ConfigException.require(trainLimit >= 0 && testLimit >= 0, "trainLimit", "0 (all) or a positive count");
        ConfigException.require(seeds >= 1 && seeds <= 5, "seeds", "1..5, got " + seeds);
        ConfigException.require(c1 >= 1 && c1 <= 128 && c2 >= 1 && c2 <= 256, "c1", "conv channels 1..128 / 1..256");
        ConfigException.require(hidden >= 2 && hidden <= 2048, "hidden", "2..2048, got " + hidden);
        ConfigException.require(epochs >= 1 && epochs <= 200, "epochs", "1..200, got " + epochs);
        ConfigException.require(batchSize >= 2 && batchSize <= 1024, "batchSize", "2..1024, got " + batchSize);
        ConfigException.require(learningRate > 0 && learningRate < 1, "learningRate", "in (0, 1)");
        for (String l : binaryLayers) {
            ConfigException.require(List.of(CnnShape.LAYER_NAMES).contains(l), "binaryLayers",
                    "layer names among conv1, conv2, fc1, fc2, got '" + l + "'");
        }
        ConfigException.require(bwnhSamples >= 1, "bwnhSamples", "a positive count");
        ConfigException.require(bwnhSweeps >= 0 && bwnhSweeps <= 100, "bwnhSweeps", "0..100");
        ConfigException.require(fineTuneSteps >= 0, "fineTuneSteps", "0 or more");
        ConfigException.require(calibrationImages >= 1 && calibrationImages <= 4096, "calibrationImages", "1..4096");
        ConfigException.require(synthIterations >= 0, "synthIterations", "0 or more");
        ConfigException.require(synthLearningRate > 0, "synthLearningRate", "a positive step size");
        ConfigException.require(synthCeWeight >= 0 && synthPriorWeight >= 0, "synthCeWeight", "non-negative weights");
        ConfigException.require(List.of("minmax", "percentile").contains(calibrator), "calibrator",
                "minmax or percentile, got '" + calibrator + "'");
        ConfigException.require(percentile > 50 && percentile <= 100, "percentile", "in (50, 100]");
        for (String p : bitPairs) {
            ConfigException.require(p.matches("\\d{1,2}/\\d{1,2}") && bits(p, 0) >= 2 && bits(p, 0) <= 16
                    && bits(p, 1) >= 2 && bits(p, 1) <= 16, "bitPairs", "pairs W/A of 2..16 bits like \"8/8\", got '"
                    + p + "'");
        }
        ConfigException.require(pqSubDim.length == CnnShape.LAYERS && pqCodewords.length == CnnShape.LAYERS,
                "pqSubDim", "4 entries (conv1, conv2, fc1, fc2) in pqSubDim and pqCodewords");
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            ConfigException.require(pqSubDim[l] >= 0, "pqSubDim", "non-negative subspace sizes");
            ConfigException.require(pqSubDim[l] == 0 || pqCodewords[l] >= 2 && pqCodewords[l] <= 4096, "pqCodewords",
                    "2..4096 codewords for each product-quantized layer");
        }
        ConfigException.require(pqSamples >= 1 && pqSweeps >= 0, "pqSamples", "a positive sample count");
        ConfigException.require(probeImages >= 1, "probeImages", "a positive count");
        ConfigException.require(pqFineTuneSteps >= 0, "pqFineTuneSteps", "0 or more");
        if (generator != null) {
            ConfigException.require(generator.steps() >= 0, "generator.steps", "0 (off) or more");
            ConfigException.require(generator.learningRate() > 0 && generator.learningRate() < 1,
                    "generator.learningRate", "in (0, 1)");
            ConfigException.require(generator.latent() >= 1 && generator.latent() <= 1024, "generator.latent",
                    "1..1024, got " + generator.latent());
            ConfigException.require(generator.hidden() >= 1 && generator.hidden() <= 4096, "generator.hidden",
                    "1..4096, got " + generator.hidden());
            ConfigException.require(generator.batch() >= 2 && generator.batch() <= 1024, "generator.batch",
                    "2..1024, got " + generator.batch());
        }
        return this;
    }

    /** Weight (index 0) or activation (index 1) bits of a pair like {@code "4/8"}. */
    public static int bits(String pair, int index) {
        return Integer.parseInt(pair.split("/")[index]);
    }

    /** The data set as an enum. */
    public VisionDatasets.Kind kind() {
        return VisionDatasets.Kind.valueOf(dataset.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Which layers BWN/BWNH binarise. */
    public boolean[] binaryMask() {
        boolean[] mask = new boolean[CnnShape.LAYERS];
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            mask[l] = binaryLayers.contains(CnnShape.LAYER_NAMES[l]);
        }
        return mask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CnnQuantConfig c && org.mlsysworkbench.algorithms.core.Json.write(this)
                .equals(org.mlsysworkbench.algorithms.core.Json.write(c));
    }

    @Override
    public int hashCode() {
        return org.mlsysworkbench.algorithms.core.Json.write(this).hashCode();
    }
}
