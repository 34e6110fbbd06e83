package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.kernels.CpuGemm;

/**
 * GraphSAGE with the mean aggregator (DGL's {@code SAGEConv(aggregator_type='mean')}) over sampled blocks,
 * with its forward and backward pass written out and checked against finite differences
 * ({@code SageModelGradientTest}). Layer {@code l} maps the rows of block {@code l}'s sources to its
 * destinations:
 * <pre>
 *   Y = H_dst * W_self + mean_{u in N(v)} H_u * W_neigh + b,   then ReLU on every layer but the last,
 * </pre>
 * with dropout on every layer's input during training, softmax cross-entropy on the seeds, and Adam with
 * L2 weight decay added to the gradient (PyTorch's {@code Adam(weight_decay=...)}). The neighbour term is
 * computed in the order {@link Aggregation} says. Matrices are row-major float32; GEMMs use
 * {@link CpuGemm}. Deterministic for a given random stream. Not thread-safe.
 */
public final class SageModel {

    private final int[] dims;
    private final Aggregation aggregation;
    private final SamplingKernels kernels;
    private final float[][] wSelf;
    private final float[][] wNeigh;
    private final float[][] bias;
    private final float[][] gSelf;
    private final float[][] gNeigh;
    private final float[][] gBias;
    private final float[][][] adamM;
    private final float[][][] adamV;
    private int adamStep;

    // forward state kept for backward
    private SampledBatch batch;
    private float[][] inputs;      // layer inputs after dropout, [layer][numSrc * in]
    private float[][] dropMasks;   // scale factor per input value (0 or 1/(1-p)), null without dropout
    private float[][] aggregated;  // NAIVE: mean of inputs, [numDst * in]
    private float[][] outputs;     // pre-activation outputs [numDst * out]
    private float[] probs;

    /**
     * @param dims {@code [in, hidden..., classes]}: one layer per consecutive pair
     */
    public SageModel(int[] dims, Aggregation aggregation, SamplingKernels kernels, SplittableRandom init) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("dims: expected at least input and output width");
        }
        this.dims = dims.clone();
        this.aggregation = aggregation;
        this.kernels = kernels;
        int layers = dims.length - 1;
        wSelf = new float[layers][];
        wNeigh = new float[layers][];
        bias = new float[layers][];
        gSelf = new float[layers][];
        gNeigh = new float[layers][];
        gBias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = dims[l];
            int out = dims[l + 1];
            double bound = Math.sqrt(2) * Math.sqrt(6.0 / (in + out));
            wSelf[l] = uniform(in * out, bound, init);
            wNeigh[l] = uniform(in * out, bound, init);
            bias[l] = new float[out];
            gSelf[l] = new float[in * out];
            gNeigh[l] = new float[in * out];
            gBias[l] = new float[out];
        }
        adamM = new float[][][] {zerosLike(wSelf), zerosLike(wNeigh), zerosLike(bias)};
        adamV = new float[][][] {zerosLike(wSelf), zerosLike(wNeigh), zerosLike(bias)};
    }

    private static float[] uniform(int n, double bound, SplittableRandom r) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        return w;
    }

    private static float[][] zerosLike(float[][] a) {
        float[][] z = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            z[i] = new float[a[i].length];
        }
        return z;
    }

    public int numLayers() {
        return dims.length - 1;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    /**
     * Forward pass. Returns the seeds' logits, {@code float[numSeeds * classes]}.
     *
     * @param x       input features of {@code batch.inputNodes()}, {@code float[numInput * dims[0]]}
     * @param dropout drop probability in [0, 1); 0 (or {@code rnd == null}) in evaluation
     */
    public float[] forward(SampledBatch batch, float[] x, double dropout, SplittableRandom rnd) {
        int layers = numLayers();
        if (batch.blocks().size() != layers) {
            throw new IllegalArgumentException("batch has " + batch.blocks().size() + " blocks, model " + layers
                    + " layers");
        }
        this.batch = batch;
        inputs = new float[layers][];
        dropMasks = new float[layers][];
        aggregated = new float[layers][];
        outputs = new float[layers][];
        float[] h = x;
        for (int l = 0; l < layers; l++) {
            Block b = batch.blocks().get(l);
            int in = dims[l];
            int out = dims[l + 1];
            if (dropout > 0 && rnd != null) {
                float keep = (float) (1 / (1 - dropout));
                float[] mask = new float[h.length];
                float[] hd = new float[h.length];
                // four 16-bit uniforms per nextLong: drop when u < round(p * 65536) (p quantised by <= 2^-17)
                int threshold = (int) Math.round(dropout * 65536);
                long bits = 0;
                for (int i = 0; i < h.length; i++) {
                    if ((i & 3) == 0) {
                        bits = rnd.nextLong();
                    }
                    int u = (int) (bits >>> ((i & 3) << 4)) & 0xFFFF;
                    mask[i] = u < threshold ? 0f : keep;
                    hd[i] = h[i] * mask[i];
                }
                dropMasks[l] = mask;
                h = hd;
            }
            inputs[l] = h;
            int nd = b.numDst();
            int ns = b.numSrc();
            float[] y = new float[nd * out];
            CpuGemm.gemm(nd, out, in, h, wSelf[l], y);
            float[] neigh = new float[nd * out];
            if (aggregation == Aggregation.NAIVE) {
                float[] agg = new float[nd * in];
                kernels.aggregateMean(b, h, in, agg);
                aggregated[l] = agg;
                CpuGemm.gemm(nd, out, in, agg, wNeigh[l], neigh);
            } else {
                float[] p = new float[ns * out];
                CpuGemm.gemm(ns, out, in, h, wNeigh[l], p);
                kernels.aggregateMean(b, p, out, neigh);
            }
            for (int i = 0; i < nd; i++) {
                for (int c = 0; c < out; c++) {
                    y[i * out + c] += neigh[i * out + c] + bias[l][c];
                }
            }
            outputs[l] = y;
            if (l < layers - 1) {
                float[] a = new float[y.length];
                for (int i = 0; i < y.length; i++) {
                    a[i] = Math.max(0f, y[i]);
                }
                h = a;
            } else {
                h = y;
            }
        }
        return h;
    }

    /**
     * Softmax cross-entropy of the last forward pass against the seeds' labels (label -1 is ignored), and the
     * gradients of every parameter (overwritten). Returns the mean loss.
     */
    public double backward(int[] seedLabels) {
        int layers = numLayers();
        int classes = dims[layers];
        float[] logits = outputs[layers - 1];
        int n = logits.length / classes;
        probs = new float[logits.length];
        float[] dy = new float[logits.length];
        int counted = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            if (seedLabels[i] < 0) {
                continue;
            }
            counted++;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[i * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                probs[i * classes + c] = (float) (Math.exp(logits[i * classes + c] - max) / sum);
            }
            loss -= logits[i * classes + seedLabels[i]] - max - Math.log(sum);
        }
        if (counted == 0) {
            for (int l = 0; l < layers; l++) {
                Arrays.fill(gSelf[l], 0);
                Arrays.fill(gNeigh[l], 0);
                Arrays.fill(gBias[l], 0);
            }
            return 0;
        }
        for (int i = 0; i < n; i++) {
            if (seedLabels[i] < 0) {
                continue;
            }
            for (int c = 0; c < classes; c++) {
                dy[i * classes + c] = (probs[i * classes + c] - (c == seedLabels[i] ? 1f : 0f)) / counted;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            Block b = batch.blocks().get(l);
            int in = dims[l];
            int out = dims[l + 1];
            int nd = b.numDst();
            int ns = b.numSrc();
            float[] h = inputs[l];
            Arrays.fill(gBias[l], 0);
            for (int i = 0; i < nd; i++) {
                for (int c = 0; c < out; c++) {
                    gBias[l][c] += dy[i * out + c];
                }
            }
            // dW_self = H_dst^T dY; H_dst is the first nd rows of H
            CpuGemm.gemm(in, out, nd, transpose(h, nd, in), dy, gSelf[l]);
            float[] dh = l > 0 ? new float[ns * in] : null;
            if (dh != null) {
                float[] dSelf = new float[nd * in];
                CpuGemm.gemm(nd, in, out, dy, transpose(wSelf[l], in, out), dSelf);
                System.arraycopy(dSelf, 0, dh, 0, nd * in);
            }
            if (aggregation == Aggregation.NAIVE) {
                CpuGemm.gemm(in, out, nd, transpose(aggregated[l], nd, in), dy, gNeigh[l]);
                if (dh != null) {
                    float[] da = new float[nd * in];
                    CpuGemm.gemm(nd, in, out, dy, transpose(wNeigh[l], in, out), da);
                    scatterMean(b, da, in, dh);
                }
            } else {
                float[] dp = new float[ns * out];
                scatterMean(b, dy, out, dp);
                CpuGemm.gemm(in, out, ns, transpose(h, ns, in), dp, gNeigh[l]);
                if (dh != null) {
                    float[] dIn = new float[ns * in];
                    CpuGemm.gemm(ns, in, out, dp, transpose(wNeigh[l], in, out), dIn);
                    for (int i = 0; i < dh.length; i++) {
                        dh[i] += dIn[i];
                    }
                }
            }
            if (dh != null) {
                if (dropMasks[l] != null) {
                    for (int i = 0; i < dh.length; i++) {
                        dh[i] *= dropMasks[l][i];
                    }
                }
                float[] prevOut = outputs[l - 1];
                for (int i = 0; i < dh.length; i++) {
                    if (prevOut[i] <= 0) {
                        dh[i] = 0;
                    }
                }
                dy = dh;
            }
        }
        return loss / counted;
    }

    /** The transpose of the aggregation: {@code dSrc[u] += dDst[i] / deg_i} over the block's edges. */
    private static void scatterMean(Block b, float[] dDst, int dim, float[] dSrc) {
        int[] off = b.offsets();
        int[] src = b.srcLocal();
        for (int i = 0; i < b.numDst(); i++) {
            int a = off[i];
            int e1 = off[i + 1];
            if (a == e1) {
                for (int c = 0; c < dim; c++) {
                    dSrc[i * dim + c] += dDst[i * dim + c];
                }
                continue;
            }
            float inv = 1f / (e1 - a);
            for (int e = a; e < e1; e++) {
                int base = src[e] * dim;
                for (int c = 0; c < dim; c++) {
                    dSrc[base + c] += dDst[i * dim + c] * inv;
                }
            }
        }
    }

    /** The first {@code rows} rows of a row-major {@code rows x cols} matrix, transposed to {@code cols x rows}. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /** One Adam step on the gradients of the last backward pass. */
    public void adamStep(double lr, double weightDecay) {
        adamStep++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, adamStep);
        double c2 = 1 - Math.pow(b2, adamStep);
        float[][][] params = {wSelf, wNeigh, bias};
        float[][][] grads = {gSelf, gNeigh, gBias};
        for (int p = 0; p < 3; p++) {
            for (int l = 0; l < params[p].length; l++) {
                float[] w = params[p][l];
                float[] g = grads[p][l];
                float[] m = adamM[p][l];
                float[] v = adamV[p][l];
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i] + weightDecay * w[i];
                    m[i] = (float) (b1 * m[i] + (1 - b1) * gi);
                    v[i] = (float) (b2 * v[i] + (1 - b2) * gi * gi);
                    w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
                }
            }
        }
    }

    /**
     * This model as a {@link SampledModel}: each training step runs {@link #forward}, {@link #backward} and
     * {@link #adamStep} with the given rate and L2 weight decay.
     */
    public SampledModel asSampledModel(double learningRate, double weightDecay) {
        return new SampledModel() {
            @Override
            public int numLayers() {
                return SageModel.this.numLayers();
            }

            @Override
            public double trainStep(SampledBatch b, float[] x, int[] seedLabels, double dropout,
                                    SplittableRandom rnd, PhaseClock clock) {
                forward(b, x, dropout, rnd);
                if (clock != null) {
                    clock.lap(PhaseClock.Phase.FORWARD);
                }
                double loss = backward(seedLabels);
                adamStep(learningRate, weightDecay);
                if (clock != null) {
                    clock.lap(PhaseClock.Phase.BACKWARD);
                }
                return loss;
            }

            @Override
            public float[] predict(SampledBatch b, float[] x) {
                return forward(b, x, 0, null);
            }
        };
    }

    /** Parameter arrays for tests: {@code [kind][layer]}, kind 0 = W_self, 1 = W_neigh, 2 = bias. Not copies. */
    float[][][] parameters() {
        return new float[][][] {wSelf, wNeigh, bias};
    }

    /** Gradients of the last backward pass, laid out like {@link #parameters()}. */
    float[][][] gradients() {
        return new float[][][] {gSelf, gNeigh, gBias};
    }

    /** Predicted class per row of logits. */
    public static int[] argmax(float[] logits, int classes) {
        int n = logits.length / classes;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
