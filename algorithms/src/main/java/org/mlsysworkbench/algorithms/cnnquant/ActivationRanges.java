package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Arrays;

/**
 * Per-layer ranges of the values each weight layer reads, measured on a calibration set; the cache entry
 * of the calibration cache. Reused when only the weight bits change.
 *
 * @param key  what produced it: calibration set, calibrator and, for percentiles, the percentile
 * @param min  per layer, the lower end of the range
 * @param max  per layer, the upper end
 */
public record ActivationRanges(String key, float[] min, float[] max) {

    /** The calibrators the bench offers. */
    public enum Calibrator {
        /** Full observed range. */
        MINMAX,
        /** The {@code p}-th and {@code (100 - p)}-th percentiles, ignoring outliers. */
        PERCENTILE
    }

    /**
     * Runs the float model over the calibration inputs ({@code [n][H*W]}, normalised) and records the ranges.
     *
     * @param percentile used by {@link Calibrator#PERCENTILE}, e.g. 99.99
     */
    public static ActivationRanges measure(SmallCnn model, float[] inputs, Calibrator calibrator, double percentile,
                                           String setName) {
        CnnShape s = model.shape;
        int hw = s.height() * s.width();
        int n = inputs.length / hw;
        SmallCnn.Pass pass = new SmallCnn.Pass(model);
        pass.forward(null, 0, 0, inputs, false);
        float[] lo = new float[CnnShape.LAYERS];
        float[] hi = new float[CnnShape.LAYERS];
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            float[] v = Arrays.copyOf(pass.layerInput(l), n * s.inputSize(l));
            if (calibrator == Calibrator.MINMAX) {
                float a = Float.POSITIVE_INFINITY;
                float b = Float.NEGATIVE_INFINITY;
                for (float x : v) {
                    a = Math.min(a, x);
                    b = Math.max(b, x);
                }
                lo[l] = a;
                hi[l] = b;
            } else {
                Arrays.sort(v);
                lo[l] = v[(int) Math.floor((100 - percentile) / 100 * (v.length - 1))];
                hi[l] = v[(int) Math.ceil(percentile / 100 * (v.length - 1))];
            }
        }
        String key = setName + "/" + calibrator.name().toLowerCase(java.util.Locale.ROOT)
                + (calibrator == Calibrator.PERCENTILE ? "@" + percentile : "") + "/n=" + n;
        return new ActivationRanges(key, lo, hi);
    }

    /**
     * Post-training quantization: a copy of the (BN-folded) float model with per-channel {@code wBits} weights
     * and per-tensor {@code aBits} inputs of every layer, using these ranges.
     */
    public SmallCnn quantize(SmallCnn folded, int wBits, int aBits) {
        SmallCnn q = folded.copy();
        q.inputQuant = new UniformQuantizer[CnnShape.LAYERS];
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            q.weights[l] = UniformQuantizer.perChannel(folded.weights[l], folded.shape.fanIn(l),
                    folded.shape.outputs(l), wBits, null);
            q.inputQuant[l] = UniformQuantizer.forRange(min[l], max[l], aBits);
        }
        return q;
    }
}
