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

/**
 * GIN for graph classification (three GIN layers, hidden 32, sum readout, a linear classifier) on the tensor
 * engine, in FP32 or with A2Q's graph-level quantization: the inputs of layers 2 and 3 are quantized with a
 * shared table of m (alpha_k, b_k) per layer, and each node takes its group from the Nearest Neighbour Strategy
 * ({@link NearestNeighborStrategy}: {@code f_i = max_j |x_ij|}, group {@code argmin_k (f_i - qmax_k)^2}, paper
 * convention, optionally degree-bucketed), in training and on unseen graphs alike. The table is trained with the
 * task gradient scatter-added into each node's group ({@link QuantOps#a2qGrouped}) plus the graph-level memory
 * penalty {@code a_loss * ReLU(F * sum_{k selected} |b_k| / 8 / 1024 - a_storage)^2}; weights at 4 bits.
 * Layer 1's input (one-hot degrees) is not quantized. Not thread-safe.
 */
public final class GraphLevelGin {

    /** Hidden width. */
    public static final int HIDDEN = 32;
    private static final int LAYERS = 3;
    private static final int WEIGHT_BITS = 4;

    private final boolean quantized;
    private final boolean degreeBuckets;
    private final double aLoss;
    private final double targetKb;
    private final List<Tensor[]> layers = new ArrayList<>();
    private final Tensor outW;
    private final Tensor outB;
    private final List<Tensor> steps = new ArrayList<>();
    private final Tensor[] tableAlpha = new Tensor[LAYERS];
    private final Tensor[] tableBits = new Tensor[LAYERS];
    private final List<Adam> optimizers = new ArrayList<>();

    /**
     * @param groups        m, table entries per quantized layer (degree buckets need more than 100)
     * @param degreeBuckets search groups [0, 10) for degree >= 5, [10, 100) for 2..4, [100, m) below 2
     */
    public GraphLevelGin(boolean quantized, int groups, boolean degreeBuckets, double aLoss, double targetKb,
                         SplittableRandom random) {
        this.quantized = quantized;
        this.degreeBuckets = degreeBuckets;
        this.aLoss = aLoss;
        this.targetKb = targetKb;
        List<Tensor> weights = new ArrayList<>();
        List<Tensor> others = new ArrayList<>();
        int in = GraphClassDataset.FEATURES;
        for (int l = 0; l < LAYERS; l++) {
            Tensor w1 = Tensor.glorot(DType.F32, random, in, HIDDEN);
            Tensor w2 = Tensor.glorot(DType.F32, random, HIDDEN, HIDDEN);
            Tensor b1 = Tensor.zeros(HIDDEN).requiresGrad(true);
            Tensor b2 = Tensor.zeros(HIDDEN).requiresGrad(true);
            Tensor eps = Tensor.zeros(1).requiresGrad(true);
            layers.add(new Tensor[] {w1, b1, w2, b2, eps});
            weights.add(w1);
            weights.add(w2);
            others.addAll(List.of(b1, b2, eps));
            in = HIDDEN;
        }
        outW = Tensor.glorot(DType.F32, random, HIDDEN, GraphClassDataset.CLASSES);
        outB = Tensor.zeros(GraphClassDataset.CLASSES).requiresGrad(true);
        weights.add(outW);
        others.add(outB);
        optimizers.add(Adam.adam(weights, 0.01, 1e-4));
        optimizers.add(Adam.adam(others, 0.01, 0));
        if (quantized) {
            for (Tensor w : weights) {
                steps.add(Tensor.of(QuantGcn.lsqInit(w.data(), w.dim(0), w.dim(1), WEIGHT_BITS), w.dim(1))
                        .requiresGrad(true));
            }
            List<Tensor> table = new ArrayList<>();
            for (int l = 1; l < LAYERS; l++) {
                float[] a = new float[groups];
                float[] b = new float[groups];
                for (int k = 0; k < groups; k++) {
                    // qmax_k spans 1e-3 .. 10: alpha log-uniform, b in 2..6 (post-ReLU inputs)
                    a[k] = (float) Math.exp(Math.log(1e-3) + random.nextDouble() * Math.log(1e3));
                    b[k] = 2 + k % 5;
                }
                tableAlpha[l] = Tensor.of(a, groups).requiresGrad(true);
                tableBits[l] = Tensor.of(b, groups).requiresGrad(true);
                table.add(tableAlpha[l]);
                optimizers.add(Adam.adam(List.of(tableBits[l]), 0.02, 0));
            }
            optimizers.add(Adam.adam(table, 0.01, 0));
            optimizers.add(Adam.adam(steps, 0.005, 0));
        }
    }

    /** A batch of graphs as one disjoint union. */
    static final class Batch {
        final CsrMatrix adjacency;
        final Tensor x;
        final int[] graphOf;
        final int[] degree;
        final int[] labels;

        Batch(List<GraphClassDataset.Graph> graphs) {
            int n = 0;
            int e = 0;
            for (GraphClassDataset.Graph g : graphs) {
                n += g.nodes();
                e += g.cols().length;
            }
            int[] ptr = new int[n + 1];
            int[] cols = new int[e];
            float[] vals = new float[e];
            float[] x = new float[n * GraphClassDataset.FEATURES];
            graphOf = new int[n];
            degree = new int[n];
            labels = new int[graphs.size()];
            int base = 0;
            int p = 0;
            for (int gi = 0; gi < graphs.size(); gi++) {
                GraphClassDataset.Graph g = graphs.get(gi);
                labels[gi] = g.label();
                System.arraycopy(g.x(), 0, x, base * GraphClassDataset.FEATURES, g.x().length);
                for (int v = 0; v < g.nodes(); v++) {
                    graphOf[base + v] = gi;
                    degree[base + v] = g.degree(v);
                    for (int k = g.ptr()[v]; k < g.ptr()[v + 1]; k++) {
                        cols[p] = base + g.cols()[k];
                        vals[p++] = 1f;
                    }
                    ptr[base + v + 1] = p;
                }
                base += g.nodes();
            }
            adjacency = new CsrMatrix(n, n, ptr, cols, vals);
            this.x = Tensor.of(x, n, GraphClassDataset.FEATURES);
        }
    }

    /** Assignments of the last forward pass: per quantized layer, the group of each node. */
    private final int[][] lastGroups = new int[LAYERS][];

    Tensor forward(Batch b) {
        Tensor h = b.x;
        int w = 0;
        for (int l = 0; l < LAYERS; l++) {
            Tensor[] p = layers.get(l);
            if (quantized && l > 0) {
                h = quantizeNns(h, b, l);
            }
            Tensor agg = Ops.add(b.adjacency.matmul(h), Ops.mul(h, Ops.addScalar(p[4], 1)));
            h = Ops.relu(Nn.linear(agg, weight(w++, p[0]), p[1]));
            h = Ops.relu(Nn.linear(h, weight(w++, p[2]), p[3]));
        }
        Tensor pooled = Nn.scatterAdd(h, b.graphOf, b.labels.length);
        return Nn.linear(pooled, weight(w, outW), outB);
    }

    private Tensor weight(int index, Tensor w) {
        return quantized ? QuantOps.channels(w, steps.get(index), WEIGHT_BITS, QuantOps.Gradient.TASK) : w;
    }

    private Tensor quantizeNns(Tensor h, Batch b, int layer) {
        NearestNeighborStrategy nns = table(layer);
        int n = h.dim(0);
        int f = h.dim(1);
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            float max = 0;
            for (int j = i * f; j < (i + 1) * f; j++) {
                max = Math.max(max, Math.abs((float) h.get(j)));
            }
            group[i] = degreeBuckets ? nns.assignByDegree(max, b.degree[i]) : nns.assign(max);
        }
        lastGroups[layer] = group;
        return QuantOps.a2qGrouped(h, tableAlpha[layer], tableBits[layer], group, QuantOps.Gradient.TASK);
    }

    /** The current (alpha, b) table of a quantized layer (1 or 2) as an NNS lookup. */
    public NearestNeighborStrategy table(int layer) {
        return new NearestNeighborStrategy(tableAlpha[layer].toFloatArray(), tableBits[layer].toFloatArray(),
                NearestNeighborStrategy.QmaxConvention.PAPER);
    }

    /** One Adam step on a batch; returns the task loss. */
    double trainStep(Batch b) {
        for (Adam o : optimizers) {
            o.zeroGrad();
        }
        double loss;
        try (Tape tape = Tape.record()) {
            Tensor logits = forward(b);
            Tensor l = Nn.crossEntropy(logits, b.labels);
            tape.backward(l);
            loss = l.item();
        }
        if (quantized) {
            addMemoryPenalty();
        }
        for (Adam o : optimizers) {
            o.step();
        }
        return loss;
    }

    /** Graph-level penalty over the groups the last batch selected. */
    private void addMemoryPenalty() {
        for (int l = 1; l < LAYERS; l++) {
            boolean[] used = new boolean[tableBits[l].size()];
            double sum = 0;
            for (int k : lastGroups[l]) {
                if (!used[k]) {
                    used[k] = true;
                    sum += Math.abs(tableBits[l].get(k));
                }
            }
            double over = HIDDEN * sum / 8.0 / 1024.0 - targetKb;
            if (over > 0) {
                Tensor g = tableBits[l].gradBuffer();
                double scale = 2 * aLoss * over * HIDDEN / 8192.0;
                for (int k = 0; k < used.length; k++) {
                    if (used[k]) {
                        g.set(k, g.get(k) + scale * (tableBits[l].get(k) < 0 ? -1 : 1));
                    }
                }
            }
        }
    }

    /**
     * Evaluates a batch without a tape.
     *
     * @param bitsOut receives, when quantized, the sum of reported bits (round|b| - 1) over the nodes of the
     *                quantized layers at [0] and their count at [1]; per group assignment counts of layer 2 are
     *                added to {@code assignments} (may be null)
     * @return correct predictions
     */
    int evaluate(Batch b, double[] bitsOut, long[] assignments) {
        Tensor logits = forward(b);
        int correct = 0;
        int c = logits.dim(1);
        for (int gi = 0; gi < b.labels.length; gi++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (logits.get(gi * c + k) > logits.get(gi * c + best)) {
                    best = k;
                }
            }
            correct += best == b.labels[gi] ? 1 : 0;
        }
        if (quantized) {
            for (int l = 1; l < LAYERS; l++) {
                for (int k : lastGroups[l]) {
                    bitsOut[0] += Math.max(1, Math.round(Math.abs((float) tableBits[l].get(k)))) - 1;
                    bitsOut[1]++;
                    if (assignments != null && l == 1) {
                        assignments[k]++;
                    }
                }
            }
        }
        return correct;
    }
}
