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
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.gnn.GcnOps;

/**
 * A two-layer GIN (Xu et al., ICLR 2019) for node classification, trained on the tensor engine
 * ({@link Tape}, {@link Ops}, {@link CsrMatrix}) with A2Q's quantizers as tensor ops ({@link QuantOps}):
 * <pre>
 *   agg_l(H) = (1 + eps_l) H + sum_{j in N(i)} H_j              (eps_l learned, starting at 0)
 *   layer 1:  H1 = ReLU(Qw(W2) ReLU(agg_1(X) Qw(W1) + b1) + b2)       (X, the binary input, is not quantized)
 *   layer 2:  logits = Qw(W4) ReLU(agg_2(Qx(dropout(H1))) Qw(W3) + b3) + b4
 * </pre>
 * ({@code agg_1(X) W1 = agg_1(X W1)} by linearity, which keeps the sparse input sparse.) Qw: per output
 * channel, fixed bits (4, or the uniform/DQ bits when higher), learned step, task gradient. Qx, the node features
 * entering layer 2 (and so the sum aggregation), depends on the {@link QuantGcn.Scheme}: A2Q's per-node step and
 * bits with the Local Gradient, per-tensor uniform, Degree-Quant (protective mask in training only), or none.
 * Loss: mean cross-entropy over the training nodes plus A2Q's memory penalty
 * {@code a_loss * ReLU(hidden * sum_i |b_i| / 8 / 1024 - a_storage)^2}.
 *
 * <p>At evaluation with A2Q, layer 2's aggregation runs on the integer codes through {@link QuantKernels}
 * (the CPU twin or the Vulkan kernels): {@code agg[i] = sum_k val_k * code[col_k] * |alpha_col_k|}.
 * Not thread-safe; a model is trained by one thread.
 */
public final class QuantGin {

    private final LabelledGraph data;
    private final QuantGcn.Scheme scheme;
    private final GcnHyper hyper;
    private final int n;
    private final int hid;
    private final int classes;
    private final CsrMatrix features;
    private final CsrMatrix adjacency;
    private final int[] selfPtr;
    private final int[] selfCols;
    private final float[] selfVals;
    private final int[] selfSlot;

    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor w3;
    private final Tensor b3;
    private final Tensor w4;
    private final Tensor b4;
    private final Tensor eps1;
    private final Tensor eps2;
    private final List<Tensor> weightSteps = new ArrayList<>();
    private final int weightBits;
    private final Tensor alpha;
    private final Tensor bits;
    private final DegreeQuant dq;
    private final List<Adam> optimizers = new ArrayList<>();

    public QuantGin(LabelledGraph data, QuantGcn.Scheme scheme, GcnHyper hyper, SplittableRandom random) {
        hyper.validate();
        this.data = data;
        this.scheme = scheme;
        this.hyper = hyper;
        this.n = data.numNodes();
        this.hid = hyper.hidden();
        this.classes = data.numClasses();
        this.features = sparseFeatures(data);
        this.adjacency = adjacency(data.graph(), false);
        CsrMatrix withSelf = adjacency(data.graph(), true);
        this.selfPtr = withSelf.indptr();
        this.selfCols = withSelf.indices();
        this.selfVals = withSelf.values().clone();
        this.selfSlot = diagonalSlots(withSelf);

        w1 = leaf(GcnOps.glorot(data.featureDim(), hid, random), data.featureDim(), hid);
        w2 = leaf(GcnOps.glorot(hid, hid, random), hid, hid);
        w3 = leaf(GcnOps.glorot(hid, hid, random), hid, hid);
        w4 = leaf(GcnOps.glorot(hid, classes, random), hid, classes);
        b1 = Tensor.zeros(hid).requiresGrad(true);
        b2 = Tensor.zeros(hid).requiresGrad(true);
        b3 = Tensor.zeros(hid).requiresGrad(true);
        b4 = Tensor.zeros(classes).requiresGrad(true);
        eps1 = Tensor.zeros(1).requiresGrad(true);
        eps2 = Tensor.zeros(1).requiresGrad(true);
        boolean quantized = scheme != QuantGcn.Scheme.FP32;
        weightBits = scheme == QuantGcn.Scheme.A2Q ? hyper.weightBits() : Math.max(hyper.weightBits(),
                hyper.uniformBits());
        if (quantized) {
            for (Tensor w : List.of(w1, w2, w3, w4)) {
                int rows = w.dim(0);
                int cols = w.dim(1);
                weightSteps.add(Tensor.of(QuantGcn.lsqInit(w.data(), rows, cols, weightBits), cols)
                        .requiresGrad(true));
            }
        }
        if (scheme == QuantGcn.Scheme.A2Q) {
            alpha = Tensor.of(QuantGcn.absNormal(n, 0.01, 0.01, random), n).requiresGrad(true);
            bits = Tensor.full(DType.F32, hyper.initBits(), n).requiresGrad(true);
        } else {
            alpha = null;
            bits = null;
        }
        dq = scheme == QuantGcn.Scheme.DEGREE_QUANT
                ? new DegreeQuant(hyper.uniformBits() >= 8 ? 8 : 4, QuantGcn.inDegrees(data.graph()), 0.0, 0.1) : null;
        optimizers.add(Adam.adam(List.of(w1, w2, w3, w4), hyper.lr(), hyper.weightDecay()));
        optimizers.add(Adam.adam(List.of(b1, b2, b3, b4, eps1, eps2), hyper.lr(), 0));
        if (quantized) {
            optimizers.add(Adam.adam(weightSteps, hyper.lrWeightAlpha(), 0));
        }
        if (alpha != null) {
            optimizers.add(Adam.adam(List.of(alpha), hyper.lrFeatureAlpha(), 0));
            optimizers.add(Adam.adam(List.of(bits), hyper.lrBits(), 0));
        }
    }

    private static Tensor leaf(float[] v, int rows, int cols) {
        return Tensor.of(v, rows, cols).requiresGrad(true);
    }

    public QuantGcn.Scheme scheme() {
        return scheme;
    }

    /**
     * One training step: forward with dropout (and DQ's mask), mean cross-entropy over {@code nodes}, the
     * memory penalty's gradient on the bits, backward, Adam.
     *
     * @return the task loss
     */
    public double trainStep(int[] nodes, SplittableRandom random) {
        for (Adam o : optimizers) {
            o.zeroGrad();
        }
        double loss;
        try (Tape tape = Tape.record()) {
            Tensor logits = forward(true, random);
            Tensor l = Nn.crossEntropy(logits, data.labels(), nodes);
            tape.backward(l);
            loss = l.item();
        }
        if (bits != null) {
            addMemoryPenaltyGradient();
        }
        for (Adam o : optimizers) {
            o.step();
        }
        return loss;
    }

    private void addMemoryPenaltyGradient() {
        double over = Math.max(0, featureKb() - hyper.targetKb());
        if (over > 0) {
            Tensor g = bits.gradBuffer();
            double scale = 2 * hyper.aLoss() * over * hid / 8192.0;
            for (int i = 0; i < n; i++) {
                g.set(i, g.get(i) + scale * (bits.get(i) < 0 ? -1 : 1));
            }
        }
    }

    /** Feature memory of layer 2's input in KB counting |b| bits per value (the penalty's KB(b)). */
    public double featureKb() {
        if (bits == null) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs(bits.get(i));
        }
        return hid * sum / 8.0 / 1024.0;
    }

    /** The differentiable forward pass (under a tape in training). */
    Tensor forward(boolean training, SplittableRandom random) {
        Tensor xw = features.matmul(weight(0, w1));
        Tensor h = Ops.relu(Ops.add(aggregate(xw, eps1), b1));
        h = Ops.relu(Nn.linear(h, weight(1, w2), b2));
        h = Nn.dropout(h, hyper.dropout(), random, training);
        Tensor hq = quantizeFeatures(h, training, random);
        Tensor a2 = aggregate(hq, eps2);
        return layer2Mlp(a2);
    }

    private Tensor layer2Mlp(Tensor a2) {
        Tensor z = Ops.relu(Nn.linear(a2, weight(2, w3), b3));
        return Nn.linear(z, weight(3, w4), b4);
    }

    private Tensor weight(int index, Tensor w) {
        return weightSteps.isEmpty() ? w : QuantOps.channels(w, weightSteps.get(index), weightBits,
                QuantOps.Gradient.TASK);
    }

    private Tensor aggregate(Tensor h, Tensor eps) {
        return Ops.add(adjacency.matmul(h), Ops.mul(h, Ops.addScalar(eps, 1)));
    }

    private Tensor quantizeFeatures(Tensor h, boolean training, SplittableRandom random) {
        switch (scheme) {
            case A2Q:
                return QuantOps.a2qRows(h, alpha, bits, QuantOps.Gradient.LOCAL);
            case UNIFORM: {
                float[] v = h.toFloatArray();
                float[] q = new float[v.length];
                UniformQuantizer.affine(v, q, hyper.uniformBits(), 0f, UniformQuantizer.maxAbs(v));
                return QuantOps.straightThrough(h, q);
            }
            case DEGREE_QUANT: {
                float[] v = h.toFloatArray();
                float[] q = new float[v.length];
                dq.forward(v, q, hid, training, random, null);
                return QuantOps.straightThrough(h, q);
            }
            default:
                return h;
        }
    }

    /**
     * Evaluation logits (no dropout, every node quantized). With A2Q, layer 2's quantization and aggregation
     * run through {@code kernels} on integer codes.
     */
    public float[] evaluate(QuantKernels kernels) {
        if (scheme != QuantGcn.Scheme.A2Q) {
            return forward(false, null).toFloatArray();
        }
        Tensor xw = features.matmul(weight(0, w1));
        Tensor h = Ops.relu(Ops.add(aggregate(xw, eps1), b1));
        h = Ops.relu(Nn.linear(h, weight(1, w2), b2));
        float[] hv = h.toFloatArray();
        float[] a = alpha.toFloatArray();
        int[] qmax = new int[n];
        for (int i = 0; i < n; i++) {
            qmax[i] = (1 << (effectiveBits(i) - 1)) - 1;
        }
        int[] codes = new int[n * hid];
        kernels.quantize(hv, n, hid, a, qmax, codes);
        float[] vals = selfVals.clone();
        float self = (float) (1 + eps2.get(0));
        for (int slot : selfSlot) {
            vals[slot] = self;
        }
        float[] agg = new float[n * hid];
        kernels.aggregate(selfPtr, selfCols, vals, n, codes, a, hid, agg);
        return layer2Mlp(Tensor.of(agg, n, hid)).toFloatArray();
    }

    /** Accuracy of argmax(logits) over the nodes. */
    public double accuracy(float[] logits, int[] nodes) {
        return GcnOps.accuracy(logits, classes, data.labels(), nodes);
    }

    /** round(|b_i|), at least 1 (A2Q only). */
    public int effectiveBits(int node) {
        return Math.max(1, Math.round(Math.abs((float) bits.get(node))));
    }

    /** Reported bits per node, round(|b|) - 1 (A2Q), else null. */
    public int[] reportedBits() {
        if (bits == null) {
            return null;
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = effectiveBits(i) - 1;
        }
        return r;
    }

    /** Learned steps per node (A2Q), else null. */
    public float[] nodeAlpha() {
        return alpha == null ? null : alpha.toFloatArray();
    }

    /** Mean reported bits, 0-bit nodes included (A2Q); the fixed bits of uniform/DQ; 32 for FP32. */
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

    /** Weights of the model: W1..W4 element count (for memory totals). */
    public long weightCount() {
        return (long) w1.size() + w2.size() + w3.size() + w4.size();
    }

    static CsrMatrix sparseFeatures(LabelledGraph g) {
        int[][] idx = new int[2][];
        float[] val = sparseRows(g.features(), g.numNodes(), g.featureDim(), idx);
        return new CsrMatrix(g.numNodes(), g.featureDim(), idx[0], idx[1], val);
    }

    private static float[] sparseRows(float[] dense, int n, int dim, int[][] out) {
        int nnz = 0;
        for (float v : dense) {
            nnz += v != 0f ? 1 : 0;
        }
        int[] ptr = new int[n + 1];
        int[] col = new int[nnz];
        float[] val = new float[nnz];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                float v = dense[i * dim + j];
                if (v != 0f) {
                    col[p] = j;
                    val[p++] = v;
                }
            }
            ptr[i + 1] = p;
        }
        out[0] = ptr;
        out[1] = col;
        return val;
    }

    /** The 0/1 adjacency (row i sums over the neighbours of i), optionally with unit self-loops. */
    static CsrMatrix adjacency(CsrGraph g, boolean selfLoops) {
        int n = g.numNodes();
        int[] ptr = new int[n + 1];
        for (int v = 0; v < n; v++) {
            ptr[v + 1] = ptr[v] + g.degree(v) + (selfLoops ? 1 : 0);
        }
        int[] col = new int[ptr[n]];
        float[] val = new float[ptr[n]];
        for (int v = 0; v < n; v++) {
            int[] nb = g.neighbours(v).clone();
            int p = ptr[v];
            boolean placed = !selfLoops;
            java.util.Arrays.sort(nb);
            for (int u : nb) {
                if (!placed && u > v) {
                    col[p] = v;
                    val[p++] = 1f;
                    placed = true;
                }
                col[p] = u;
                val[p++] = 1f;
            }
            if (!placed) {
                col[p] = v;
                val[p++] = 1f;
            }
        }
        return new CsrMatrix(n, n, ptr, col, val);
    }

    private static int[] diagonalSlots(CsrMatrix m) {
        int[] slots = new int[m.rows()];
        for (int r = 0; r < m.rows(); r++) {
            slots[r] = -1;
            for (int k = m.indptr()[r]; k < m.indptr()[r + 1]; k++) {
                if (m.indices()[k] == r && slots[r] < 0) {
                    slots[r] = k;
                }
            }
        }
        return slots;
    }
}
