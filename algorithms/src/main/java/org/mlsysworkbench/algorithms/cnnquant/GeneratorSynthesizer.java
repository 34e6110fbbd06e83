package org.mlsysworkbench.algorithms.cnnquant;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.tensor.Adam;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.LrSchedule;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Ops;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;

/**
 * Zero-shot calibration data from a small generator network, the GZNQ / GDFQ variant of {@link BnSynthesizer}:
 * instead of optimising the pixels, a generator {@code x = G(z, y)} is trained, with the CNN frozen, on the same
 * loss (per-layer BatchNorm KL + class-conditional cross-entropy + total-variation prior), and the calibration set
 * is then sampled from it:
 *
 * <pre>
 *   G(z, y) = mid + half * tanh(W2 relu(W1 [z ; onehot(y)] + b1) + b2)     z ~ N(0, I)
 * </pre>
 *
 * where {@code mid +- half} is the real-image pixel range 0..1 in the network's normalised input space (so no
 * projection is needed). {@code [z ; onehot(y)] W1} is a class embedding added to a noise projection. G runs on the
 * project's tensor engine ({@link Tape}); the CNN is not on the tape: {@link #imageLoss} is a tape op whose
 * forward evaluates an {@link ImageObjective} (here the CNN's synthesis loss) and whose backward feeds the
 * objective's input gradient {@code dLoss/dImage} (the CNN's input-gradient path) into G's graph. The paper's
 * generator is convolutional with augmentation; this one is two fully connected layers (spec sheet: the
 * architecture is unknown). Stateless.
 */
public final class GeneratorSynthesizer {

    /**
     * @param steps        Adam steps on the generator's parameters (0 = no generator calibration set)
     * @param learningRate Adam step size (cosine decay)
     * @param latent       dimension of z
     * @param hidden       width of the hidden layer
     * @param batch        images per training step (labels cycle through the classes)
     */
    public record Settings(int steps, double learningRate, int latent, int hidden, int batch) {

        /** The settings of the {@code default} example. */
        public static Settings defaults() {
            return new Settings(150, 1e-2, 32, 128, 64);
        }
    }

    /**
     * @param images     {@code [n][H*W]} sampled from the trained generator, normalised input space
     * @param labels     the class each image was generated for
     * @param klHistory  the summed BN KL term of the training batch after each step
     * @param ceHistory  the cross-entropy of the training batch after each step
     */
    public record Result(float[] images, int[] labels, double[] klHistory, double[] ceHistory) {
    }

    /** A scalar loss of a batch of images and its gradient with respect to them. */
    @FunctionalInterface
    public interface ImageObjective {
        /** Returns the loss of {@code x} and writes {@code dLoss/dx} into {@code grad} (same length, zeroed). */
        double lossAndGradient(double[] x, double[] grad);
    }

    /** The generator's parameters; F32 in training, F64 in gradient checks. */
    public static final class Generator {
        final int latent;
        final int classes;
        final int pixels;
        final double mid;
        final double half;
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor b2;

        /**
         * A freshly initialised generator (Glorot weights, zero biases).
         *
         * @param pixels H*W of the images it produces
         * @param lo     lowest normalised pixel value (real pixel 0)
         * @param hi     highest normalised pixel value (real pixel 1)
         */
        public Generator(DType dtype, int latent, int classes, int hidden, int pixels, double lo, double hi,
                         SplittableRandom rnd) {
            this.latent = latent;
            this.classes = classes;
            this.pixels = pixels;
            this.mid = (lo + hi) / 2;
            this.half = (hi - lo) / 2;
            this.w1 = Tensor.glorot(dtype, rnd, latent + classes, hidden).named("G.w1");
            this.b1 = Tensor.zeros(dtype, hidden).requiresGrad(true).named("G.b1");
            this.w2 = Tensor.glorot(dtype, rnd, hidden, pixels).named("G.w2");
            this.b2 = Tensor.zeros(dtype, pixels).requiresGrad(true).named("G.b2");
        }

        public List<Tensor> parameters() {
            return List.of(w1, b1, w2, b2);
        }

        /** The input rows {@code [z ; onehot(y)]}, z drawn from N(0, I), as a constant tensor. */
        public Tensor codes(int[] labels, SplittableRandom rnd) {
            int d = latent + classes;
            Tensor in = Tensor.zeros(w1.dtype(), labels.length, d);
            for (int i = 0; i < labels.length; i++) {
                for (int j = 0; j < latent; j++) {
                    in.set(i * d + j, SmallCnn.gaussian(rnd));
                }
                in.set(i * d + latent + labels[i], 1.0);
            }
            return in;
        }

        /** {@code G(codes)}: images {@code [B, H*W]} on the open tape (if any). */
        public Tensor images(Tensor codes) {
            Tensor h = Ops.relu(Nn.linear(codes, w1, b1));
            return Ops.addScalar(Ops.mulScalar(Ops.tanh(Nn.linear(h, w2, b2)), half), mid);
        }
    }

    private GeneratorSynthesizer() {
    }

    /**
     * The tape op bridging an external differentiable function into the engine: forward {@code f(x)} (a scalar),
     * backward {@code dx += dOut * df/dx} with the gradient the objective computed during the forward.
     */
    public static Tensor imageLoss(Tensor x, ImageObjective objective) {
        double[] xs = x.toDoubleArray();
        double[] grad = new double[xs.length];
        double loss = objective.lossAndGradient(xs, grad);
        Tensor out = Tensor.scalar(x.dtype(), loss);
        return Tape.op(out, () -> {
            if (!x.requiresGrad()) {
                return;
            }
            double g = out.grad().get(0);
            Tensor gx = x.gradBuffer();
            for (int i = 0; i < grad.length; i++) {
                gx.set(i, gx.get(i) + g * grad[i]);
            }
        }, x);
    }

    /**
     * The synthesis loss of {@link BnSynthesizer} as an {@link ImageObjective}: BN KL of both BN layers plus
     * {@code ceWeight * CE(f(x), labels)} plus {@code priorWeight * TV(x)}, with the CNN (inference mode) frozen.
     * {@code kl} and {@code ce}, when non-null, receive the last evaluation's terms.
     */
    public static ImageObjective cnnObjective(SmallCnn model, int[] labels, double ceWeight, double priorWeight,
                                              double[] kl, double[] ce) {
        CnnShape s = model.shape;
        SmallCnn.Pass pass = new SmallCnn.Pass(model);
        return (x, grad) -> {
            int n = labels.length;
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
            }
            float[] dLogits = new float[n * s.classes()];
            float[][] dPreBn = {new float[n * s.outputSize(0)], new float[n * s.outputSize(1)]};
            float[] gx = new float[x.length];
            pass.forward(null, 0, 0, xf, false);
            double c = pass.crossEntropy(labels, 0, dLogits);
            for (int i = 0; i < dLogits.length; i++) {
                dLogits[i] *= (float) ceWeight;
            }
            double k = 0;
            for (int l = 0; l < 2; l++) {
                k += BnSynthesizer.klAndGradient(model, pass, l, dPreBn[l]);
            }
            pass.backward(dLogits, dPreBn, null, gx);
            double tv = 0;
            if (priorWeight > 0) {
                tv = BnSynthesizer.addTvGradient(xf, gx, n, s.height(), s.width(), (float) priorWeight);
            }
            for (int i = 0; i < gx.length; i++) {
                grad[i] = gx[i];
            }
            if (kl != null) {
                kl[0] = k;
            }
            if (ce != null) {
                ce[0] = c;
            }
            return k + ceWeight * c + tv;
        };
    }

    /** Trains a generator against the frozen BN-equipped model, then samples {@code images} images from it. */
    public static Result synthesize(SmallCnn model, int images, Settings st, double ceWeight, double priorWeight,
                                    SplittableRandom rnd, ProgressListener progress, CancellationToken cancel) {
        CnnShape s = model.shape;
        double lo = (0.0 - model.inputMean) / model.inputStd;
        double hi = (1.0 - model.inputMean) / model.inputStd;
        Generator g = new Generator(DType.F32, st.latent(), s.classes(), st.hidden(), s.height() * s.width(), lo, hi,
                rnd);
        int classes = s.classes();
        int[] labels = new int[st.batch()];
        double[] kl = new double[1];
        double[] ce = new double[1];
        double[] klHist = new double[st.steps()];
        double[] ceHist = new double[st.steps()];
        // cosine decay of the step size, as in the direct synthesis
        Adam opt = new Adam(g.parameters(), st.learningRate(), 0.9, 0.999, 1e-8, 0, false,
                LrSchedule.cosine(st.steps(), 0));
        for (int it = 0; it < st.steps(); it++) {
            cancel.throwIfCancelled();
            // a random class order per step, every class equally often
            int offset = rnd.nextInt(classes);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (i + offset) % classes;
            }
            ImageObjective obj = cnnObjective(model, labels.clone(), ceWeight, priorWeight, kl, ce);
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = imageLoss(g.images(g.codes(labels, rnd)), obj);
                tape.backward(loss);
            }
            klHist[it] = kl[0];
            ceHist[it] = ce[0];
            opt.step();
            if (it % 10 == 0) {
                progress.progress(it / (double) Math.max(1, st.steps()), String.format(Locale.ROOT,
                        "generator %d/%d: BN KL %.4f, CE %.4f", it, st.steps(), kl[0], ce[0]));
            }
        }
        int[] outLabels = new int[images];
        for (int i = 0; i < images; i++) {
            outLabels[i] = i % classes;
        }
        float[] x = g.images(g.codes(outLabels, rnd)).toFloatArray();
        return new Result(x, outLabels, klHist, ceHist);
    }
}
