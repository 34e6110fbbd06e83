package org.mlsysworkbench.algorithms.cnnquant;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/**
 * Zero-shot calibration data in the GZNQ / ZeroQ / DeepInversion manner: images optimised by gradient
 * descent on the input so that the batch statistics of every BatchNorm layer's input match the running
 * statistics stored in the trained network, plus a class-conditional cross-entropy term:
 *
 * <pre>
 *   min_x  sum_l mean_c KL(N(mu~_lc, s~_lc^2) || N(mu_lc, s_lc^2)) + ce * CE(f(x), y) + prior * TV(x)
 *   KL(N(mu~, s~^2) || N(mu, s^2)) = log(s / s~) + (s~^2 + (mu~ - mu)^2) / (2 s^2) - 1/2
 * </pre>
 *
 * Pixels are kept inside the range of real images (projected gradient steps). The network runs in inference mode (BatchNorm with running statistics); the statistics mu~, s~ are those of
 * the synthetic batch. The KL form of the distribution matching is the spec sheet's (unverified) reading of
 * GZNQ; only the data-free, BN-statistics-driven synthesis is certain. Stateless.
 */
public final class BnSynthesizer {

    /**
     * @param images       number of images, labels cycle through the classes
     * @param iterations   Adam steps on the images
     * @param learningRate Adam step size (normalised pixel units)
     * @param ceWeight     weight of the cross-entropy term
     * @param priorWeight  weight of the total-variation image prior
     */
    public record Settings(int images, int iterations, double learningRate, double ceWeight, double priorWeight) {
    }

    /**
     * @param images     synthesised images {@code [n][H*W]}, in the network's normalised input space
     * @param labels     the class each image was optimised towards
     * @param klHistory  the summed BN KL term after each iteration
     * @param ceHistory  the cross-entropy after each iteration
     */
    public record Result(float[] images, int[] labels, double[] klHistory, double[] ceHistory) {
    }

    private BnSynthesizer() {
    }

    /** Synthesises a calibration set from the BN-equipped (unfolded) model alone. */
    public static Result synthesize(SmallCnn model, Settings st, SplittableRandom rnd, ProgressListener progress,
                                    CancellationToken cancel) {
        CnnShape s = model.shape;
        int hw = s.height() * s.width();
        int n = st.images();
        float lo = (0f - model.inputMean) / model.inputStd;
        float hi = (1f - model.inputMean) / model.inputStd;
        float[] x = new float[n * hw];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(lo, Math.min(hi, (float) SmallCnn.gaussian(rnd)));
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % s.classes();
        }
        float[] m1 = new float[x.length];
        float[] m2 = new float[x.length];
        float[] grad = new float[x.length];
        float[] dLogits = new float[n * s.classes()];
        float[][] dPreBn = {new float[n * s.outputSize(0)], new float[n * s.outputSize(1)]};
        double[] klHist = new double[st.iterations()];
        double[] ceHist = new double[st.iterations()];
        SmallCnn.Pass pass = new SmallCnn.Pass(model);
        for (int it = 0; it < st.iterations(); it++) {
            cancel.throwIfCancelled();
            pass.forward(null, 0, 0, x, false);
            double ce = pass.crossEntropy(labels, 0, dLogits);
            for (int i = 0; i < dLogits.length; i++) {
                dLogits[i] *= (float) st.ceWeight();
            }
            double kl = 0;
            for (int l = 0; l < 2; l++) {
                kl += klAndGradient(model, pass, l, dPreBn[l]);
            }
            pass.backward(dLogits, dPreBn, null, grad);
            if (st.priorWeight() > 0) {
                addTvGradient(x, grad, n, s.height(), s.width(), (float) st.priorWeight());
            }
            klHist[it] = kl;
            ceHist[it] = ce;
            int t = it + 1;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            double lr = st.learningRate() * 0.5 * (1 + Math.cos(Math.PI * it / st.iterations()));
            float a = (float) (lr * Math.sqrt(c2) / c1);
            for (int i = 0; i < x.length; i++) {
                m1[i] = 0.9f * m1[i] + 0.1f * grad[i];
                m2[i] = 0.999f * m2[i] + 0.001f * grad[i] * grad[i];
                // projected step: a synthetic image stays inside the pixel range real images have (0..1),
                // otherwise the input quantizer's range, calibrated on it, widens for nothing
                x[i] = Math.max(lo, Math.min(hi, x[i] - a * m1[i] / ((float) Math.sqrt(m2[i]) + 1e-8f)));
            }
            if (it % 10 == 0) {
                progress.progress(it / (double) st.iterations(), String.format(java.util.Locale.ROOT,
                        "synthesis %d/%d: BN KL %.4f, CE %.4f", it, st.iterations(), kl, ce));
            }
        }
        return new Result(x, labels, klHist, ceHist);
    }

    /**
     * The mean over channels of the KL term of BN layer {@code l} for the last pass, and its gradient with
     * respect to the pre-BN activations (written into {@code dz}, [B][outputSize(l)]).
     */
    static double klAndGradient(SmallCnn model, SmallCnn.Pass pass, int l, float[] dz) {
        CnnShape s = model.shape;
        int c = s.outputs(l);
        int p = s.positions(l);
        int b = pass.batch();
        int cnt = b * p;
        float[] z = pass.layerOutput(l);
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
            double mu = model.bnMean[l][ch];
            double var = model.bnVar[l][ch] + SmallCnn.BN_EPS;
            double muT = pass.batchMean[l][ch];
            double varT = pass.batchVar[l][ch] + SmallCnn.BN_EPS;
            total += 0.5 * Math.log(var / varT) + (varT + (muT - mu) * (muT - mu)) / (2 * var) - 0.5;
            if (dz != null) {
                float gMu = (float) ((muT - mu) / var / cnt / c);
                float gVar = (float) ((1 / var - 1 / varT) / cnt / c);
                for (int i = 0; i < b; i++) {
                    int off = (i * c + ch) * p;
                    for (int q = 0; q < p; q++) {
                        dz[off + q] = gMu + (float) ((z[off + q] - muT) * gVar);
                    }
                }
            }
        }
        return total / c;
    }

    /** Per BN layer, the mean KL between the batch statistics of {@code inputs} and the stored statistics. */
    public static double[] bnKl(SmallCnn model, float[] inputs) {
        SmallCnn.Pass pass = new SmallCnn.Pass(model);
        pass.forward(null, 0, 0, inputs, false);
        return new double[] {klAndGradient(model, pass, 0, null), klAndGradient(model, pass, 1, null)};
    }

    /** Per BN layer, the mean over channels of {@code (mu~ - mu)^2 + (s~ - s)^2}. */
    public static double[] bnSquaredError(SmallCnn model, float[] inputs) {
        SmallCnn.Pass pass = new SmallCnn.Pass(model);
        pass.forward(null, 0, 0, inputs, false);
        double[] out = new double[2];
        for (int l = 0; l < 2; l++) {
            int c = model.shape.outputs(l);
            for (int ch = 0; ch < c; ch++) {
                double dm = pass.batchMean[l][ch] - model.bnMean[l][ch];
                double ds = Math.sqrt(pass.batchVar[l][ch]) - Math.sqrt(model.bnVar[l][ch]);
                out[l] += (dm * dm + ds * ds) / c;
            }
        }
        return out;
    }

    /**
     * Adds to {@code grad} the gradient of {@code weight * mean over images of sum (x[y][x+1]-x[y][x])^2 +
     * (x[y+1][x]-x[y][x])^2} and returns that prior's value.
     */
    static double addTvGradient(float[] x, float[] grad, int n, int h, int w, float weight) {
        float f = 2 * weight / n;
        double tv = 0;
        for (int i = 0; i < n; i++) {
            int off = i * h * w;
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    int at = off + y * w + c;
                    if (c + 1 < w) {
                        float d = x[at + 1] - x[at];
                        tv += d * d;
                        grad[at + 1] += f * d;
                        grad[at] -= f * d;
                    }
                    if (y + 1 < h) {
                        float d = x[at + w] - x[at];
                        tv += d * d;
                        grad[at + w] += f * d;
                        grad[at] -= f * d;
                    }
                }
            }
        }
        return weight * tv / n;
    }

    /** Gaussian noise N(0, 1) in the normalised input space: the crude calibration baseline. */
    public static float[] noise(CnnShape s, int n, SplittableRandom rnd) {
        float[] x = new float[n * s.height() * s.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) SmallCnn.gaussian(rnd);
        }
        return x;
    }

    /** The first {@code n} images of a set, normalised as the model expects. */
    public static float[] normalised(SmallCnn model, ImageSet set, int n) {
        int hw = set.imageSize();
        int k = Math.min(n, set.count());
        float[] x = new float[k * hw];
        for (int i = 0; i < x.length; i++) {
            x[i] = (set.pixels()[i] - model.inputMean) / model.inputStd;
        }
        return x;
    }
}
