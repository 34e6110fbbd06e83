package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.tensor.Adam;
import org.mlsysworkbench.algorithms.core.tensor.CsrMatrix;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Ops;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.gnn.GcnOps;

/**
 * {@link QuantGcn}'s model on the tensor engine: the same two-layer GCN, quantizers, initial draws, dropout
 * draws and memory penalty, with every gradient coming from {@link Tape} and {@link QuantOps} instead of a
 * hand-written backward pass:
 * <pre>
 *   layer 1:  P1 = A^ · Qxw1(X · Qw1(W1)) + b1,      H1 = dropout(ReLU(P1))     (X is not quantized)
 *   layer 2:  P2 = A^ · Qxw2(Qx(H1) · Qw2(W2)) + b2  = logits
 * </pre>
 * Qw: per output channel, task gradient; Qxw: per column, Local Gradient; Qx: A2Q per node (Local Gradient),
 * uniform or Degree-Quant (straight through), or none. The hand-written model stays as the reference its
 * gradients are compared with (tests). Not thread-safe.
 */
public final class TapeGcn {

    private final LabelledGraph data;
    private final QuantGcn.Scheme scheme;
    private final GcnHyper hyper;
    private final int n;
    private final int hid;
    private final CsrMatrix adjacency;
    private final CsrMatrix features;
    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor aw1;
    private final Tensor aw2;
    private final Tensor axw1;
    private final Tensor axw2;
    private final Tensor alpha;
    private final Tensor bits;
    private final int weightBits;
    private final DegreeQuant dq;
    private final List<Adam> optimizers = new ArrayList<>();

    public TapeGcn(LabelledGraph data, QuantGcn.Scheme scheme, GcnHyper hyper, SplittableRandom random) {
        hyper.validate();
        this.data = data;
        this.scheme = scheme;
        this.hyper = hyper;
        this.n = data.numNodes();
        this.hid = hyper.hidden();
        int classes = data.numClasses();
        int fin = data.featureDim();
        int[][] adj = new int[2][];
        float[] vals = QuantGcn.normalisedAdjacency(data.graph(), adj);
        this.adjacency = new CsrMatrix(n, n, adj[0], adj[1], vals);
        this.features = QuantGin.sparseFeatures(data);
        // the draws in QuantGcn's order: W1, W2, Qxw1 steps, Qxw2 steps, per-node steps
        w1 = Tensor.of(GcnOps.glorot(fin, hid, random), fin, hid).requiresGrad(true);
        w2 = Tensor.of(GcnOps.glorot(hid, classes, random), hid, classes).requiresGrad(true);
        b1 = Tensor.zeros(hid).requiresGrad(true);
        b2 = Tensor.zeros(classes).requiresGrad(true);
        boolean quantized = scheme != QuantGcn.Scheme.FP32;
        weightBits = scheme == QuantGcn.Scheme.A2Q ? hyper.weightBits() : Math.max(hyper.weightBits(),
                hyper.uniformBits());
        aw1 = quantized ? leaf(QuantGcn.lsqInit(w1.data(), fin, hid, weightBits)) : null;
        aw2 = quantized ? leaf(QuantGcn.lsqInit(w2.data(), hid, classes, weightBits)) : null;
        axw1 = quantized ? leaf(QuantGcn.absNormal(hid, 0.01, 0.01, random)) : null;
        axw2 = quantized ? leaf(QuantGcn.absNormal(classes, 0.01, 0.01, random)) : null;
        if (scheme == QuantGcn.Scheme.A2Q) {
            alpha = leaf(QuantGcn.absNormal(n, 0.01, 0.01, random));
            bits = Tensor.full(DType.F32, hyper.initBits(), n).requiresGrad(true);
        } else {
            alpha = null;
            bits = null;
        }
        dq = scheme == QuantGcn.Scheme.DEGREE_QUANT
                ? new DegreeQuant(hyper.uniformBits() >= 8 ? 8 : 4, QuantGcn.inDegrees(data.graph()), 0.0, 0.1) : null;
        optimizers.add(Adam.adam(List.of(w1), hyper.lr(), hyper.weightDecay()));
        optimizers.add(Adam.adam(List.of(b1), hyper.lr(), 0));
        optimizers.add(Adam.adam(List.of(w2), hyper.lr(), hyper.weightDecay()));
        optimizers.add(Adam.adam(List.of(b2), hyper.lr(), 0));
        if (quantized) {
            optimizers.add(Adam.adam(List.of(aw1, aw2), hyper.lrWeightAlpha(), 0));
            optimizers.add(Adam.adam(List.of(axw1, axw2), hyper.lrXwAlpha(), 0));
        }
        if (alpha != null) {
            optimizers.add(Adam.adam(List.of(alpha), hyper.lrFeatureAlpha(), 0));
            optimizers.add(Adam.adam(List.of(bits), hyper.lrBits(), 0));
        }
    }

    private static Tensor leaf(float[] v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    /** The forward pass (under a tape in training); dropout draws as QuantGcn's, one per hidden value. */
    Tensor forward(boolean training, SplittableRandom random) {
        Tensor z1 = features.matmul(weight(w1, aw1));
        Tensor p1 = Ops.add(adjacency.matmul(xw(z1, axw1)), b1);
        Tensor h1 = Ops.relu(p1);
        if (training && hyper.dropout() > 0) {
            double keep = 1 - hyper.dropout();
            float[] mask = new float[h1.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < keep ? (float) (1 / keep) : 0f;
            }
            h1 = Ops.mul(h1, Tensor.of(mask, h1.shape()));
        }
        Tensor h1q = switch (scheme) {
            case A2Q -> QuantOps.a2qRows(h1, alpha, bits, QuantOps.Gradient.LOCAL);
            case UNIFORM -> {
                float[] v = h1.toFloatArray();
                float[] q = new float[v.length];
                UniformQuantizer.affine(v, q, hyper.uniformBits(), 0f, UniformQuantizer.maxAbs(v));
                yield QuantOps.straightThrough(h1, q);
            }
            case DEGREE_QUANT -> {
                float[] v = h1.toFloatArray();
                float[] q = new float[v.length];
                dq.forward(v, q, hid, training, random, null);
                yield QuantOps.straightThrough(h1, q);
            }
            default -> h1;
        };
        Tensor z2 = Ops.matmul(h1q, weight(w2, aw2));
        return Ops.add(adjacency.matmul(xw(z2, axw2)), b2);
    }

    private Tensor weight(Tensor w, Tensor steps) {
        return steps == null ? w : QuantOps.channels(w, steps, weightBits, QuantOps.Gradient.TASK);
    }

    private Tensor xw(Tensor z, Tensor steps) {
        return steps == null ? z : QuantOps.channels(z, steps, weightBits, QuantOps.Gradient.LOCAL);
    }

    /** Backward of the mean cross-entropy over {@code nodes} at the current parameters, without a step (tests). */
    double lossAndGradients(int[] nodes, boolean training, SplittableRandom random) {
        for (Adam o : optimizers) {
            o.zeroGrad();
        }
        try (Tape tape = Tape.record()) {
            Tensor l = Nn.crossEntropy(forward(training, random), data.labels(), nodes);
            tape.backward(l);
            return l.item();
        }
    }

    /** One training step (forward with dropout, backward, memory penalty on the bits, Adam); the task loss. */
    public double trainStep(int[] nodes, SplittableRandom random) {
        double loss = lossAndGradients(nodes, true, random);
        if (bits != null) {
            double over = Math.max(0, hid * sumAbs(bits) / 8.0 / 1024.0 - hyper.targetKb());
            if (over > 0) {
                Tensor g = bits.gradBuffer();
                double scale = 2 * hyper.aLoss() * over * hid / 8192.0;
                for (int i = 0; i < n; i++) {
                    g.set(i, g.get(i) + scale * (bits.get(i) < 0 ? -1 : 1));
                }
            }
        }
        for (Adam o : optimizers) {
            o.step();
        }
        return loss;
    }

    private static double sumAbs(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += Math.abs(t.get(i));
        }
        return s;
    }

    /** Evaluation logits (no dropout; every node quantized). */
    public float[] evaluate() {
        return forward(false, null).toFloatArray();
    }

    public double accuracy(float[] logits, int[] nodes) {
        return GcnOps.accuracy(logits, data.numClasses(), data.labels(), nodes);
    }

    /** Parameters W1, b1, W2, b2 and their gradients after {@link #lossAndGradients} (tests). */
    Tensor[] parameters() {
        return new Tensor[] {w1, b1, w2, b2};
    }

    /** A2Q's per-node step and bits, or null (tests and results). */
    Tensor[] featureQuantizer() {
        return alpha == null ? null : new Tensor[] {alpha, bits};
    }

    /** Reported bits per node (A2Q), else null. */
    public int[] reportedBits() {
        if (bits == null) {
            return null;
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.max(1, Math.round(Math.abs((float) bits.get(i)))) - 1;
        }
        return r;
    }

    public float[] nodeAlpha() {
        return alpha == null ? null : alpha.toFloatArray();
    }

    public double averageBits() {
        return switch (scheme) {
            case A2Q -> {
                long s = 0;
                for (int b : reportedBits()) {
                    s += b;
                }
                yield (double) s / n;
            }
            case UNIFORM -> hyper.uniformBits();
            case DEGREE_QUANT -> hyper.uniformBits() >= 8 ? 8 : 4;
            default -> 32;
        };
    }
}
