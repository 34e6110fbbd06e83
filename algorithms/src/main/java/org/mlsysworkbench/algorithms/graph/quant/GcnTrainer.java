package org.mlsysworkbench.algorithms.graph.quant;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * Trains one GCN ({@link TapeGcn} on the tensor engine, or the hand-written reference {@link QuantGcn}) or GIN
 * ({@link QuantGin}) and reports both model-selection rules of the spec sheet: test accuracy at
 * the epoch of best validation accuracy (the honest number) and the best test accuracy over all epochs
 * (what the A2Q paper reports, labelled as such).
 */
public final class GcnTrainer {

    /** Called after every epoch (from the training thread). */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(int epoch, double loss, double valAcc, double testAcc, double avgBits);
    }

    /**
     * The outcome of one training run.
     *
     * @param valSelectedTestAcc test accuracy at the best validation epoch
     * @param bestTestAcc        maximum test accuracy over epochs (paper's rule)
     * @param averageBits        mean reported feature bits of layer 2's input (A2Q: round|b| - 1 incl. 0-bit
     *                           nodes; uniform/DQ: their bits; FP32: 32)
     * @param nodeBits           reported bits per node (A2Q), else null
     * @param nodeAlpha          learned step per node (A2Q), else null
     * @param featureKb          feature memory of layer 2's input in KB at those bits
     */
    public record Result(QuantGcn.Scheme scheme, double valSelectedTestAcc, double bestTestAcc, int bestValEpoch,
                         double averageBits, int[] nodeBits, float[] nodeAlpha, double featureKb, double[] lossCurve) {
    }

    private GcnTrainer() {
    }

    /**
     * Which GNN: GCN on the tensor engine ({@link TapeGcn}), GIN on the tensor engine ({@link QuantGin}), or the
     * hand-written GCN ({@link QuantGcn}, the gradient-checked reference).
     */
    public enum Model { GCN, GIN, GCN_HANDWRITTEN }

    /** The hand-written GCN (reference). */
    public static Result train(LabelledGraph data, QuantGcn.Scheme scheme, GcnHyper hyper, long seed,
                               CancellationToken cancel, EpochListener listener) {
        return train(data, Model.GCN_HANDWRITTEN, scheme, hyper, seed, cancel, listener, new CpuQuantKernels());
    }

    /**
     * Trains {@code model} under {@code scheme}; GIN's A2Q evaluation aggregates integer codes through
     * {@code kernels} (the backend's {@link QuantKernels} or the CPU twin).
     */
    public static Result train(LabelledGraph data, Model network, QuantGcn.Scheme scheme, GcnHyper hyper, long seed,
                               CancellationToken cancel, EpochListener listener, QuantKernels kernels) {
        SplittableRandom random = new SplittableRandom(seed);
        Trainee model = switch (network) {
            case GIN -> gin(new QuantGin(data, scheme, hyper, random), kernels);
            case GCN -> tapeGcn(new TapeGcn(data, scheme, hyper, random));
            case GCN_HANDWRITTEN -> handwritten(new QuantGcn(data, scheme, hyper, random), hyper);
        };
        double bestVal = -1;
        double testAtBestVal = 0;
        double bestTest = 0;
        int bestEpoch = 0;
        double[] losses = new double[hyper.epochs()];
        for (int e = 0; e < hyper.epochs(); e++) {
            cancel.throwIfCancelled();
            losses[e] = model.trainStep(data.train(), random);
            float[] logits = model.logits();
            double val = model.accuracy(logits, data.val());
            double test = model.accuracy(logits, data.test());
            if (val > bestVal) {
                bestVal = val;
                testAtBestVal = test;
                bestEpoch = e;
            }
            bestTest = Math.max(bestTest, test);
            if (listener != null) {
                listener.epoch(e, losses[e], val, test, model.averageBits());
            }
        }
        double avg = model.averageBits();
        double kb = avg * data.numNodes() * hyper.hidden() / 8.0 / 1024.0;
        return new Result(scheme, testAtBestVal, bestTest, bestEpoch, avg, model.nodeBits(), model.nodeAlpha(), kb,
                losses);
    }

    /** What the training loop needs of a network: one view over the three model classes. */
    private interface Trainee {
        double trainStep(int[] train, SplittableRandom random);

        float[] logits();

        double accuracy(float[] logits, int[] nodes);

        double averageBits();

        /** Reported bits per node (A2Q), else null. */
        int[] nodeBits();

        /** Learned step per node (A2Q), else null. */
        float[] nodeAlpha();
    }

    private static Trainee gin(QuantGin m, QuantKernels kernels) {
        return new Trainee() {
            public double trainStep(int[] train, SplittableRandom random) {
                return m.trainStep(train, random);
            }

            public float[] logits() {
                return m.evaluate(kernels);
            }

            public double accuracy(float[] logits, int[] nodes) {
                return m.accuracy(logits, nodes);
            }

            public double averageBits() {
                return m.averageBits();
            }

            public int[] nodeBits() {
                return m.reportedBits();
            }

            public float[] nodeAlpha() {
                return m.nodeAlpha();
            }
        };
    }

    private static Trainee tapeGcn(TapeGcn m) {
        return new Trainee() {
            public double trainStep(int[] train, SplittableRandom random) {
                return m.trainStep(train, random);
            }

            public float[] logits() {
                return m.evaluate();
            }

            public double accuracy(float[] logits, int[] nodes) {
                return m.accuracy(logits, nodes);
            }

            public double averageBits() {
                return m.averageBits();
            }

            public int[] nodeBits() {
                return m.reportedBits();
            }

            public float[] nodeAlpha() {
                return m.nodeAlpha();
            }
        };
    }

    private static Trainee handwritten(QuantGcn m, GcnHyper hyper) {
        return new Trainee() {
            public double trainStep(int[] train, SplittableRandom random) {
                return m.trainStep(train, random);
            }

            public float[] logits() {
                return m.forward(false, null);
            }

            public double accuracy(float[] logits, int[] nodes) {
                return m.accuracy(logits, nodes);
            }

            public double averageBits() {
                return GcnTrainer.averageBits(m, hyper);
            }

            public int[] nodeBits() {
                A2qQuantizer q = m.featureQuantizer();
                if (q == null) {
                    return null;
                }
                int[] bits = new int[q.nodes()];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = q.reportedBits(i);
                }
                return bits;
            }

            public float[] nodeAlpha() {
                A2qQuantizer q = m.featureQuantizer();
                return q == null ? null : q.alpha().clone();
            }
        };
    }

    static double averageBits(QuantGcn model, GcnHyper hyper) {
        return switch (model.scheme()) {
            case A2Q -> model.featureQuantizer().averageReportedBits();
            case UNIFORM -> hyper.uniformBits();
            case DEGREE_QUANT -> hyper.uniformBits() >= 8 ? 8 : 4;
            default -> 32;
        };
    }
}
