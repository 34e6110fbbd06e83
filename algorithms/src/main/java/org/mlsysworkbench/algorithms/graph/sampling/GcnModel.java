package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.tensor.Adam;
import org.mlsysworkbench.algorithms.core.tensor.BufferPool;
import org.mlsysworkbench.algorithms.core.tensor.CsrMatrix;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Ops;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;

/**
 * GCN over sampled blocks, built on the workbench's tensor engine: DGL's {@code GraphConv} applied to each
 * block of a batch, with a self-loop on every destination (as {@code dgl.add_self_loop} before sampling, the
 * loop always kept). Layer {@code l} maps block {@code l}'s sources to its destinations:
 * <pre>
 *   Y = Â · H · W + b,   then ReLU on every layer but the last,
 *   norm "both":  Â[i][u] = 1 / sqrt(deg_in(i) · deg_out(u))     (symmetric, Kipf and Welling)
 *   norm "right": Â[i][u] = 1 / deg_in(i)                          (mean over the neighbours and itself)
 * </pre>
 * over the sampled edges plus the self-loops, with <b>block-local</b> degrees (FastGL and DGL on blocks):
 * {@code deg_in(i)} = sampled neighbours of destination i + 1, {@code deg_out(u)} = edges leaving source u in
 * the block (its self-loop included when u is a destination). Â is a {@link CsrMatrix} of
 * {@code numDst x numSrc}; the product is differentiable with respect to the dense operand.
 *
 * <p>The order follows {@link Aggregation}: {@code NAIVE} computes {@code (Â · H) · W} (gathers rows of the
 * input width), {@code MEMORY_AWARE} computes {@code Â · (H · W)} (transforms every source row first, then
 * gathers rows of the output width): the same model up to float rounding.
 *
 * <p>Dropout on the input of every layer after the first during training (between layers, as DGL's GCN
 * example; the raw features are not dropped), mean softmax cross-entropy over the seeds, Adam with L2
 * weight decay added to the gradient (PyTorch's {@code Adam(weight_decay=...)}); weights Glorot-uniform,
 * biases zero. Matrices row-major. Not thread-safe.
 */
public final class GcnModel implements SampledModel {

    /** DGL's {@code GraphConv(norm=...)} choices this model supports. */
    public enum Norm {
        BOTH("both"), RIGHT("right");

        private final String key;

        Norm(String key) {
            this.key = key;
        }

        /** The config spelling. */
        public String key() {
            return key;
        }

        /** Parses the config spelling. */
        public static Norm of(String key) {
            for (Norm n : values()) {
                if (n.key.equals(key)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("gcnNorm: expected both or right, got " + key);
        }
    }

    private final int[] dims;
    private final Aggregation aggregation;
    private final Norm norm;
    private final DType dtype;
    private final Tensor[] weights;
    private final Tensor[] biases;
    private final Adam optimizer;
    private final BufferPool pool = new BufferPool();

    /**
     * @param dims {@code [in, hidden..., classes]}: one layer per consecutive pair
     */
    public GcnModel(int[] dims, Aggregation aggregation, Norm norm, double learningRate, double weightDecay,
                    SplittableRandom init) {
        this(dims, aggregation, norm, learningRate, weightDecay, init, DType.F32);
    }

    /** With a tensor type: F64 for gradient checks. */
    GcnModel(int[] dims, Aggregation aggregation, Norm norm, double learningRate, double weightDecay,
             SplittableRandom init, DType dtype) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("dims: expected at least input and output width");
        }
        this.dims = dims.clone();
        this.aggregation = aggregation;
        this.norm = norm;
        this.dtype = dtype;
        int layers = dims.length - 1;
        weights = new Tensor[layers];
        biases = new Tensor[layers];
        List<Tensor> params = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            weights[l] = Tensor.glorot(dtype, init, dims[l], dims[l + 1]).named("w" + l);
            biases[l] = Tensor.zeros(dtype, dims[l + 1]).requiresGrad(true).named("b" + l);
            params.add(weights[l]);
            params.add(biases[l]);
        }
        optimizer = Adam.adam(params, learningRate, weightDecay);
    }

    @Override
    public int numLayers() {
        return dims.length - 1;
    }

    /** Weights and biases, layer by layer ({@code w0, b0, w1, b1, ...}); the tensors themselves. */
    List<Tensor> parameters() {
        return optimizer.parameters();
    }

    /**
     * The normalised block adjacency Â ({@code numDst x numSrc}) with self-loops and block-local degrees, as
     * described in the class comment.
     */
    public static CsrMatrix blockMatrix(Block b, Norm norm) {
        int nd = b.numDst();
        int ns = b.numSrc();
        int[] off = b.offsets();
        int[] src = b.srcLocal();
        int[] outDeg = new int[ns];
        for (int e = 0; e < b.numEdges(); e++) {
            outDeg[src[e]]++;
        }
        for (int i = 0; i < nd; i++) {
            outDeg[i]++;
        }
        int[] ptr = new int[nd + 1];
        int[] idx = new int[b.numEdges() + nd];
        float[] val = new float[idx.length];
        int w = 0;
        for (int i = 0; i < nd; i++) {
            int inDeg = off[i + 1] - off[i] + 1;
            idx[w] = i;
            val[w++] = weight(norm, inDeg, outDeg[i]);
            for (int e = off[i]; e < off[i + 1]; e++) {
                idx[w] = src[e];
                val[w++] = weight(norm, inDeg, outDeg[src[e]]);
            }
            ptr[i + 1] = w;
        }
        return new CsrMatrix(nd, ns, ptr, idx, val);
    }

    private static float weight(Norm norm, int inDeg, int outDeg) {
        return norm == Norm.BOTH ? (float) (1 / Math.sqrt((double) inDeg * outDeg)) : 1f / inDeg;
    }

    /**
     * The seeds' logits as a tensor: under an open {@link Tape} the graph is recorded.
     *
     * @param x       {@code [numInput, dims[0]]}
     * @param dropout drop probability of the hidden layers' inputs; 0 (or {@code rnd == null}) for inference
     */
    Tensor forward(SampledBatch batch, Tensor x, double dropout, SplittableRandom rnd) {
        int layers = numLayers();
        if (batch.blocks().size() != layers) {
            throw new IllegalArgumentException("batch has " + batch.blocks().size() + " blocks, model " + layers
                    + " layers");
        }
        Tensor h = x;
        for (int l = 0; l < layers; l++) {
            Block b = batch.blocks().get(l);
            CsrMatrix a = blockMatrix(b, norm);
            if (l > 0) {
                h = Nn.dropout(h, dropout, rnd, dropout > 0 && rnd != null);
            }
            Tensor y = aggregation == Aggregation.NAIVE ? Ops.matmul(a.matmul(h), weights[l])
                    : a.matmul(Ops.matmul(h, weights[l]));
            y = Ops.add(y, biases[l]);
            h = l < layers - 1 ? Ops.relu(y) : y;
        }
        return h;
    }

    @Override
    public double trainStep(SampledBatch batch, float[] x, int[] seedLabels, double dropout, SplittableRandom rnd,
                            PhaseClock clock) {
        optimizer.zeroGrad();
        double loss;
        try (Tape tape = Tape.record(pool)) {
            Tensor l = Nn.crossEntropy(forward(batch, input(batch, x), dropout, rnd), seedLabels);
            loss = l.item();
            if (clock != null) {
                clock.lap(PhaseClock.Phase.FORWARD);
            }
            tape.backward(l);
        }
        optimizer.step();
        if (clock != null) {
            clock.lap(PhaseClock.Phase.BACKWARD);
        }
        return loss;
    }

    @Override
    public float[] predict(SampledBatch batch, float[] x) {
        return forward(batch, input(batch, x), 0, null).toFloatArray();
    }

    private Tensor input(SampledBatch batch, float[] x) {
        int rows = batch.inputNodes().length;
        if (x.length != rows * dims[0]) {
            throw new IllegalArgumentException("x: expected " + rows + " x " + dims[0] + " floats, got " + x.length);
        }
        Tensor t = Tensor.of(x, rows, dims[0]);
        return dtype == DType.F32 ? t : t.to(dtype);
    }
}
