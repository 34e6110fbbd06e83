package org.mlsysworkbench.algorithms.graph.quant;

import org.mlsysworkbench.algorithms.core.ConfigException;

/**
 * Hyper-parameters of the quantized GCN. Defaults follow A2Q's GCN/Cora row of the spec sheet:
 * hidden 16, 200 epochs, Adam lr 0.01, weight decay 0.02, dropout 0.35, bits lr 0.1, feature-step lr 0.04,
 * weight-step lr 0.02, X·W-step lr 0.008, a_loss 2.5, a_storage 5 KB, weights at 4 bits, feature bits
 * starting at 5 (layer 2's input is post-ReLU).
 *
 * @param uniformBits bits of the uniform and Degree-Quant baselines (2, 4 or 8)
 */
public record GcnHyper(int hidden, int epochs, double lr, double weightDecay, double dropout, double lrBits,
                       double lrFeatureAlpha, double lrWeightAlpha, double lrXwAlpha, double aLoss, double targetKb,
                       int weightBits, float initBits, int uniformBits) {

    public static GcnHyper a2qCora() {
        return new GcnHyper(16, 200, 0.01, 0.02, 0.35, 0.1, 0.04, 0.02, 0.008, 2.5, 5.0, 4, 5f, 4);
    }

    /**
     * A2Q's GIN/Cora row: bits lr 0.02, feature-step lr 0.05, a_loss 2, weight-step lr 0.005, X·W-step lr 0.005,
     * dropout 0.5, weight decay 0.01 (script defaults), hidden 16, 200 epochs, Adam lr 0.01.
     */
    public static GcnHyper a2qGinCora() {
        return new GcnHyper(16, 200, 0.01, 0.01, 0.5, 0.02, 0.05, 0.005, 0.005, 2.0, 5.0, 4, 5f, 4);
    }

    /** The same with another uniform/DQ bitwidth. */
    public GcnHyper withUniformBits(int bits) {
        return new GcnHyper(hidden, epochs, lr, weightDecay, dropout, lrBits, lrFeatureAlpha, lrWeightAlpha, lrXwAlpha,
                aLoss, targetKb, weightBits, initBits, bits);
    }

    public GcnHyper withEpochs(int e) {
        return new GcnHyper(hidden, e, lr, weightDecay, dropout, lrBits, lrFeatureAlpha, lrWeightAlpha, lrXwAlpha,
                aLoss, targetKb, weightBits, initBits, uniformBits);
    }

    public GcnHyper withTargetKb(double kb) {
        return new GcnHyper(hidden, epochs, lr, weightDecay, dropout, lrBits, lrFeatureAlpha, lrWeightAlpha, lrXwAlpha,
                aLoss, kb, weightBits, initBits, uniformBits);
    }

    public GcnHyper withDropout(double d) {
        return new GcnHyper(hidden, epochs, lr, weightDecay, d, lrBits, lrFeatureAlpha, lrWeightAlpha, lrXwAlpha,
                aLoss, targetKb, weightBits, initBits, uniformBits);
    }

    /** Throws {@link ConfigException} naming the first bad field. */
    public GcnHyper validate() {
        ConfigException.require(hidden >= 1 && hidden <= 4096, "hidden", "1..4096, got " + hidden);
        ConfigException.require(epochs >= 1 && epochs <= 100_000, "epochs", "1..100000, got " + epochs);
        ConfigException.require(lr > 0 && lr < 10, "lr", "in (0, 10), got " + lr);
        ConfigException.require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1), got " + dropout);
        ConfigException.require(weightBits >= 2 && weightBits <= 16, "weightBits", "2..16, got " + weightBits);
        ConfigException.require(initBits >= 1 && initBits <= 16, "initBits",
                "a bitwidth target of at least 1 bit (and at most 16), got " + initBits);
        ConfigException.require(uniformBits >= 1 && uniformBits <= 16, "uniformBits",
                "at least 1 bit (and at most 16), got " + uniformBits);
        ConfigException.require(targetKb > 0, "targetKb", "> 0 KB, got " + targetKb);
        ConfigException.require(aLoss >= 0, "aLoss", ">= 0, got " + aLoss);
        return this;
    }
}
