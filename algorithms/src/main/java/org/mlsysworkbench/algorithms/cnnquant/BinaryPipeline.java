package org.mlsysworkbench.algorithms.cnnquant;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/**
 * Binarises a trained network layer by layer (BWN or BWNH), then fine-tunes it. Each chosen layer is binarised
 * with input samples drawn from the network whose earlier layers are already binary (the error compensation of
 * the spec sheet); then the BatchNorm statistics are re-estimated, and the per-channel scales alpha, the biases,
 * BatchNorm and the float layers are fine-tuned with the signs held fixed. Both methods get the same schedule.
 */
public final class BinaryPipeline {

    /**
     * @param layers         which weight layers become binary
     * @param samples        training images whose layer inputs form X (every conv location is a sample)
     * @param sweeps         BWNH alternating sweeps
     * @param fineTune       the fine-tuning schedule (steps through {@code maxSteps})
     */
    public record Settings(boolean[] layers, int samples, int sweeps, CnnTrainer.Settings fineTune) {
    }

    /**
     * @param model          the binary-weight network (BN not folded)
     * @param codes          per layer the signs and scales, null for float layers
     * @param hashError      per layer, the relative inner-product error {@code ||X^T W - X^T B A|| / ||X^T W||}
     *                       before fine-tuning, NaN for float layers
     * @param beforeFineTune test-free accuracy is not computed here; the network before fine-tuning
     */
    public record Result(SmallCnn model, BinaryCodes[] codes, double[] hashError, SmallCnn beforeFineTune) {
    }

    private BinaryPipeline() {
    }

    public static Result run(SmallCnn fp, ImageSet train, boolean hashing, Settings st, SplittableRandom rnd,
                             ProgressListener progress, CancellationToken cancel) {
        SmallCnn m = fp.copy();
        CnnShape s = m.shape;
        BinaryCodes[] codes = new BinaryCodes[CnnShape.LAYERS];
        double[] err = new double[CnnShape.LAYERS];
        java.util.Arrays.fill(err, Double.NaN);
        int n = Math.min(st.samples(), train.count());
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            if (!st.layers()[l]) {
                continue;
            }
            cancel.throwIfCancelled();
            progress.progress(-1, (hashing ? "BWNH" : "BWN") + ": binarising " + CnnShape.LAYER_NAMES[l]);
            SmallCnn.Pass pass = new SmallCnn.Pass(m);
            pass.forward(train, 0, n, null, false);
            float[] x = SmallCnn.layerSamples(pass, l);
            int rows = x.length / s.fanIn(l);
            double[] h = BinaryWeights.gram(x, rows, s.fanIn(l));
            BinaryCodes c = hashing
                    ? BinaryWeights.bwnh(fp.weights[l], s.fanIn(l), s.outputs(l), h, st.sweeps())
                    : BinaryWeights.bwn(fp.weights[l], s.fanIn(l), s.outputs(l));
            err[l] = BinaryWeights.relativeError(fp.weights[l], c, h, s.fanIn(l), s.outputs(l));
            codes[l] = c;
            m.weights[l] = c.weights();
        }
        m.recalibrateBatchNorm(train, 256, Math.max(1, Math.min(20, train.count() / 256)));
        SmallCnn before = m.copy();
        CnnTrainer.LayerMode[] modes = new CnnTrainer.LayerMode[CnnShape.LAYERS];
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            modes[l] = st.layers()[l] ? CnnTrainer.LayerMode.BINARY_ALPHA : CnnTrainer.LayerMode.FULL;
        }
        if (st.fineTune().maxSteps() != 0) {
            CnnTrainer.train(m, train, st.fineTune(), rnd, modes, codes, true, progress, cancel);
        }
        return new Result(m, codes, err, before);
    }
}
