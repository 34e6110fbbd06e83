package org.mlsysworkbench.algorithms.cnnquant;

import java.util.List;
import java.util.Map;

/**
 * What a {@code cnnquant} run shows: the accuracy / size table (every method, every seed), per-layer errors,
 * the calibration sets, the BWN-vs-BWNH comparison and the Q-CNN layers of the last seed.
 *
 * @param dataset      data set id
 * @param classNames   class names
 * @param methods      one row per method
 * @param layerErrors  per method name, the per-layer error table of the last seed (probe batch of test images)
 * @param calibration  the calibration sets of the last seed
 * @param binary       per binarised layer, BWN against BWNH (last seed)
 * @param qcnn         Q-CNN layers and costs of the last seed
 * @param inspector    per-channel weight quantizers of conv2 and per-layer activation quantizers, W8A8 synthetic
 * @param model        the FP32 network of the last seed
 */
public record CnnQuantResult(String dataset, List<String> classNames, List<MethodRow> methods,
                             Map<String, List<LayerError>> layerErrors, Calibration calibration,
                             List<BinaryLayerComparison> binary, Qcnn qcnn, Inspector inspector,
                             SmallCnn model) {

    /**
     * @param method     display name ("FP32", "BWNH", "W4A4 synthetic", "Q-CNN")
     * @param weightBits bits per weight (32, 8, 4, 1, or the Q-CNN average)
     * @param activationBits bits per activation (32 for float)
     * @param weightKiB  size of all weights in KiB (binary: signs plus one float alpha per channel of binary layers)
     * @param accuracy   test accuracy per seed, in percent
     */
    public record MethodRow(String method, double weightBits, int activationBits, double weightKiB,
                            double[] accuracy) {

        public double meanAccuracy() {
            double s = 0;
            for (double a : accuracy) {
                s += a;
            }
            return s / accuracy.length;
        }
    }

    /**
     * Images are {@code [n][H*W]} pixels in 0..1 (de-normalised), for display.
     *
     * @param bnKl      per set name, the mean KL of BN layers 1 and 2
     * @param bnSqError per set name, the squared error of the BN statistics
     * @param synthKl   BN KL term over synthesis iterations
     * @param synthCe   cross-entropy over synthesis iterations
     * @param generatorKl BN KL term of the generator's training batch over its steps (empty without a generator)
     * @param generatorCe its cross-entropy over the steps
     * @param cacheKeys per set name, the key of its cached activation ranges
     */
    public record Calibration(int height, int width, Map<String, float[]> images, Map<String, int[]> labels,
                              Map<String, double[]> bnKl, Map<String, double[]> bnSqError, double[] synthKl,
                              double[] synthCe, double[] generatorKl, double[] generatorCe,
                              Map<String, String> cacheKeys) {
    }

    /**
     * @param layer           layer name
     * @param bwnAlpha        BWN's scales
     * @param bwnhAlpha       BWNH's scales (before fine-tuning)
     * @param flippedFraction fraction of BWNH signs that differ from sign(W)
     * @param bwnError        BWN's relative inner-product error
     * @param bwnhErrorHistory BWNH's error over the sweeps
     */
    public record BinaryLayerComparison(String layer, float[] bwnAlpha, float[] bwnhAlpha, double flippedFraction,
                                        double bwnError, double[] bwnhErrorHistory) {
    }

    /**
     * @param layers      the PQ layers (null for float layers)
     * @param costs       the op-count / storage model per PQ layer
     * @param compression all weights, float32 bits over Q-CNN bits
     */
    public record Qcnn(List<PqLayer> layers, List<LutCostModel.LayerCost> costs, double compression) {
    }

    /**
     * @param conv2Weights per output channel of conv2, its weight quantizer at 8 bits
     * @param activations  per layer, its input quantizer at 8 bits (synthetic calibration)
     */
    public record Inspector(List<UniformQuantizer> conv2Weights, List<UniformQuantizer> activations) {
    }

    /** The row of a method, if present. */
    public java.util.Optional<MethodRow> row(String method) {
        return methods.stream().filter(r -> r.method().equals(method)).findFirst();
    }
}
