package org.mlsysworkbench.algorithms.cnnquant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Quantization error of one weight layer on a probe batch, against the float reference: the layer's own error
 * (the quantized layer fed the reference input, so an unquantized layer has exactly zero error) and the
 * accumulated error (the whole quantized network up to this layer). SQNR is
 * {@code 10 log10(sum ref^2 / sum (ref - q)^2)} dB, +infinity for zero error.
 */
public record LayerError(String layer, boolean quantized, double mse, double cosine, double sqnrDb,
                         double accumulatedMse, double accumulatedCosine, double accumulatedSqnrDb) {

    /**
     * Per-layer errors of {@code quantized} against {@code reference} (same shape, BN folded alike) on
     * normalised probe inputs {@code [n][H*W]}.
     */
    public static List<LayerError> table(SmallCnn reference, SmallCnn quantized, float[] probe) {
        SmallCnn.Pass ref = new SmallCnn.Pass(reference);
        ref.forward(null, 0, 0, probe, false);
        SmallCnn.Pass full = new SmallCnn.Pass(quantized);
        full.forward(null, 0, 0, probe, false);
        List<LayerError> rows = new ArrayList<>();
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            boolean changed = !Arrays.equals(reference.weights[l], quantized.weights[l])
                    || !Arrays.equals(reference.biases[l], quantized.biases[l])
                    || quantized.inputQuant != null && quantized.inputQuant[l] != null
                    || l < 2 && !(Arrays.equals(reference.bnGamma[l], quantized.bnGamma[l])
                    && Arrays.equals(reference.bnBeta[l], quantized.bnBeta[l])
                    && Arrays.equals(reference.bnMean[l], quantized.bnMean[l])
                    && Arrays.equals(reference.bnVar[l], quantized.bnVar[l]));
            double[] own;
            if (changed) {
                SmallCnn hybrid = reference.copy();
                hybrid.weights[l] = quantized.weights[l];
                hybrid.biases[l] = quantized.biases[l];
                if (quantized.inputQuant != null) {
                    hybrid.inputQuant = new UniformQuantizer[CnnShape.LAYERS];
                    hybrid.inputQuant[l] = quantized.inputQuant[l];
                }
                SmallCnn.Pass hp = new SmallCnn.Pass(hybrid);
                hp.forward(null, 0, 0, probe, false);
                own = stats(ref.layerOutput(l), hp.layerOutput(l));
            } else {
                own = stats(ref.layerOutput(l), ref.layerOutput(l));
            }
            double[] acc = stats(ref.layerOutput(l), full.layerOutput(l));
            rows.add(new LayerError(CnnShape.LAYER_NAMES[l], changed, own[0], own[1], own[2], acc[0], acc[1], acc[2]));
        }
        return rows;
    }

    /** MSE, cosine similarity and SQNR (dB) of {@code q} against {@code ref}. */
    static double[] stats(float[] ref, float[] q) {
        double se = 0;
        double rr = 0;
        double qq = 0;
        double rq = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = ref[i] - q[i];
            se += d * d;
            rr += (double) ref[i] * ref[i];
            qq += (double) q[i] * q[i];
            rq += (double) ref[i] * q[i];
        }
        double cos = rr == 0 || qq == 0 ? (rr == qq ? 1 : 0) : rq / Math.sqrt(rr * qq);
        double sqnr = se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(rr / se);
        return new double[] {se / ref.length, se == 0 ? 1.0 : cos, sqnr};
    }
}
