package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.gnn.GcnOps;

/**
 * A two-layer GCN (Kipf and Welling) with A2Q's quantizers, written out forward and backward so that the
 * quantizers' custom gradients (A2Q's Local Gradient) stay exactly as the paper defines them.
 *
 * <pre>
 *   A^ = D^-1/2 (A + I) D^-1/2
 *   layer 1:  P1 = A^ · Qxw1(X · Qw1(W1)) + b1,      H1 = dropout(ReLU(P1))     (X is not quantized)
 *   layer 2:  P2 = A^ · Qxw2(Qx(H1) · Qw2(W2)) + b2  = logits
 * </pre>
 * Qw: per output channel, fixed bits, learned step (task gradient). Qxw: per column, fixed bits, learned
 * step (local gradient). Qx, the node features entering layer 2, depends on the {@link Scheme}: A2Q's
 * learned per-node step and bits, a per-tensor uniform quantizer, Degree-Quant, or nothing (FP32).
 * Loss: mean cross-entropy over the training nodes, plus A2Q's memory penalty on the bits.
 * Not thread-safe; a model is trained by one thread.
 */
public final class QuantGcn {

    /** How node features (and weights) are quantized. */
    public enum Scheme { FP32, A2Q, UNIFORM, DEGREE_QUANT }

    private final LabelledGraph data;
    private final Scheme scheme;
    private final GcnHyper hyper;
    private final int n;
    private final int fin;
    private final int hid;
    private final int classes;
    private final int[] aPtr;
    private final int[] aCol;
    private final float[] aVal;
    private final int[] xPtr;
    private final int[] xCol;
    private final float[] xVal;

    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;
    private final ChannelQuantizer qw1;
    private final ChannelQuantizer qw2;
    private final ChannelQuantizer qxw1;
    private final ChannelQuantizer qxw2;
    private final A2qQuantizer qx;
    private final DegreeQuant dq;
    private final MemoryPenalty penalty;
    private final List<Adam> weightOpt = new ArrayList<>();
    private final Adam alphaW1;
    private final Adam alphaW2;
    private final Adam alphaXw1;
    private final Adam alphaXw2;
    private final Adam alphaX;
    private final Adam bitsX;

    // activations of the last forward pass, reused between epochs
    private final float[] w1q;
    private final float[] w2q;
    private final float[] z1;
    private final float[] z1q;
    private final float[] p1;
    private final float[] h1;
    private final float[] mask;
    private final float[] h1q;
    private final float[] z2;
    private final float[] z2q;
    private final float[] p2;

    /**
     * @param data   a labelled graph (features dense, any density; the first layer uses only non-zeros)
     * @param scheme the feature quantization scheme
     * @param hyper  hyper-parameters
     * @param random initialisation draws
     */
    public QuantGcn(LabelledGraph data, Scheme scheme, GcnHyper hyper, SplittableRandom random) {
        hyper.validate();
        this.data = data;
        this.scheme = scheme;
        this.hyper = hyper;
        this.n = data.numNodes();
        this.fin = data.featureDim();
        this.hid = hyper.hidden();
        this.classes = data.numClasses();
        int[][] adj = new int[2][];
        this.aVal = normalisedAdjacency(data.graph(), adj);
        this.aPtr = adj[0];
        this.aCol = adj[1];
        int[][] x = new int[2][];
        this.xVal = sparseRows(data.features(), n, fin, x);
        this.xPtr = x[0];
        this.xCol = x[1];

        w1 = GcnOps.glorot(fin, hid, random);
        w2 = GcnOps.glorot(hid, classes, random);
        b1 = new float[hid];
        b2 = new float[classes];
        boolean quantized = scheme != Scheme.FP32;
        int wBits = scheme == Scheme.A2Q ? hyper.weightBits() : Math.max(hyper.weightBits(), hyper.uniformBits());
        qw1 = quantized ? new ChannelQuantizer(hid, wBits, lsqInit(w1, fin, hid, wBits),
                ChannelQuantizer.Gradient.TASK) : null;
        qw2 = quantized ? new ChannelQuantizer(classes, wBits, lsqInit(w2, hid, classes, wBits),
                ChannelQuantizer.Gradient.TASK) : null;
        qxw1 = quantized ? new ChannelQuantizer(hid, wBits, absNormal(hid, 0.01, 0.01, random),
                ChannelQuantizer.Gradient.LOCAL) : null;
        qxw2 = quantized ? new ChannelQuantizer(classes, wBits, absNormal(classes, 0.01, 0.01, random),
                ChannelQuantizer.Gradient.LOCAL) : null;
        qx = scheme == Scheme.A2Q ? new A2qQuantizer(n, hid, hyper.initBits(), absNormal(n, 0.01, 0.01, random))
                : null;
        dq = scheme == Scheme.DEGREE_QUANT
                ? new DegreeQuant(hyper.uniformBits() >= 8 ? 8 : 4, inDegrees(data.graph()), 0.0, 0.1) : null;
        penalty = new MemoryPenalty(hyper.aLoss(), hyper.targetKb());

        for (float[] p : new float[][] {w1, b1, w2, b2}) {
            weightOpt.add(new Adam(p, hyper.lr(), p == w1 || p == w2 ? hyper.weightDecay() : 0));
        }
        alphaW1 = quantized ? new Adam(qw1.alpha(), hyper.lrWeightAlpha(), 0) : null;
        alphaW2 = quantized ? new Adam(qw2.alpha(), hyper.lrWeightAlpha(), 0) : null;
        alphaXw1 = quantized ? new Adam(qxw1.alpha(), hyper.lrXwAlpha(), 0) : null;
        alphaXw2 = quantized ? new Adam(qxw2.alpha(), hyper.lrXwAlpha(), 0) : null;
        alphaX = qx != null ? new Adam(qx.alpha(), hyper.lrFeatureAlpha(), 0) : null;
        bitsX = qx != null ? new Adam(qx.bits(), hyper.lrBits(), 0) : null;

        w1q = new float[w1.length];
        w2q = new float[w2.length];
        z1 = new float[n * hid];
        z1q = new float[n * hid];
        p1 = new float[n * hid];
        h1 = new float[n * hid];
        mask = new float[n * hid];
        h1q = new float[n * hid];
        z2 = new float[n * classes];
        z2q = new float[n * classes];
        p2 = new float[n * classes];
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The per-node quantizer of layer 2's input (A2Q only), else null. */
    public A2qQuantizer featureQuantizer() {
        return qx;
    }

    /** Direct access for gradient checks: W1 (fin x hid), b1, W2 (hid x classes), b2. */
    float[][] parameters() {
        return new float[][] {w1, b1, w2, b2};
    }

    /**
     * Runs the forward pass; training applies dropout and Degree-Quant's protective mask.
     *
     * @return logits (n x classes), a live buffer valid until the next call
     */
    public float[] forward(boolean training, SplittableRandom random) {
        quantOrCopy(qw1, w1, w1q);
        sparseTimesDense(z1);
        quantOrCopy(qxw1, z1, z1q);
        propagate(z1q, p1, hid, b1);
        double keep = 1 - hyper.dropout();
        for (int i = 0; i < p1.length; i++) {
            float r = Math.max(0f, p1[i]);
            float m = 1f;
            if (training && hyper.dropout() > 0) {
                m = random.nextDouble() < keep ? (float) (1 / keep) : 0f;
            }
            mask[i] = m;
            h1[i] = r * m;
        }
        switch (scheme) {
            case A2Q -> qx.forward(h1, h1q);
            case UNIFORM -> UniformQuantizer.affine(h1, h1q, hyper.uniformBits(), 0f, UniformQuantizer.maxAbs(h1));
            case DEGREE_QUANT -> dq.forward(h1, h1q, hid, training, random, null);
            default -> System.arraycopy(h1, 0, h1q, 0, h1.length);
        }
        quantOrCopy(qw2, w2, w2q);
        denseTimesDense(h1q, w2q, z2, n, hid, classes);
        quantOrCopy(qxw2, z2, z2q);
        propagate(z2q, p2, classes, b2);
        return p2;
    }

    /**
     * One training step: forward with dropout, mean cross-entropy over {@code nodes}, backward, Adam.
     *
     * @return the task loss (without the memory penalty)
     */
    public double trainStep(int[] nodes, SplittableRandom random) {
        forward(true, random);
        float[] dP2 = new float[n * classes];
        double loss = softmaxCrossEntropy(p2, nodes, dP2);
        Gradients g = backward(dP2);
        for (int i = 0; i < 4; i++) {
            weightOpt.get(i).step(g.params[i]);
        }
        if (scheme != Scheme.FP32) {
            alphaW1.step(g.alphaW1);
            alphaW2.step(g.alphaW2);
            alphaXw1.step(g.alphaXw1);
            alphaXw2.step(g.alphaXw2);
        }
        if (qx != null) {
            penalty.backward(List.of(qx), List.of(g.bitsX));
            alphaX.step(g.alphaX);
            bitsX.step(g.bitsX);
        }
        return loss;
    }

    /** Gradients of one backward pass. */
    static final class Gradients {
        final float[][] params;
        final float[] alphaW1;
        final float[] alphaW2;
        final float[] alphaXw1;
        final float[] alphaXw2;
        final float[] alphaX;
        final float[] bitsX;

        Gradients(float[][] params, float[] aw1, float[] aw2, float[] axw1, float[] axw2, float[] ax, float[] bx) {
            this.params = params;
            this.alphaW1 = aw1;
            this.alphaW2 = aw2;
            this.alphaXw1 = axw1;
            this.alphaXw2 = axw2;
            this.alphaX = ax;
            this.bitsX = bx;
        }
    }

    /** Back-propagates dLoss/dlogits through the last forward pass. */
    Gradients backward(float[] dP2) {
        float[] gw1 = new float[w1.length];
        float[] gb1 = new float[hid];
        float[] gw2 = new float[w2.length];
        float[] gb2 = new float[classes];
        float[] aw1 = new float[hid];
        float[] aw2 = new float[classes];
        float[] axw1 = new float[hid];
        float[] axw2 = new float[classes];
        float[] ax = qx != null ? new float[n] : null;
        float[] bx = qx != null ? new float[n] : null;

        columnSums(dP2, classes, gb2);
        float[] dz2q = new float[n * classes];
        propagate(dP2, dz2q, classes, null);             // A^ is symmetric: A^T dP2 = A^ dP2
        float[] dz2 = steOrCopy(qxw2, z2, z2q, dz2q, axw2);
        float[] dh1q = new float[n * hid];
        denseTimesTransposed(dz2, w2q, dh1q, n, classes, hid);
        float[] dw2q = new float[w2.length];
        transposedTimesDense(h1q, dz2, dw2q, n, hid, classes);
        float[] dw2 = steOrCopy(qw2, w2, w2q, dw2q, aw2);
        System.arraycopy(dw2, 0, gw2, 0, gw2.length);

        float[] dh1 = new float[n * hid];
        switch (scheme) {
            case A2Q -> qx.backward(h1, h1q, dh1q, dh1, ax, bx);
            default -> System.arraycopy(dh1q, 0, dh1, 0, dh1.length);   // uniform/DQ: straight through
        }
        float[] dp1 = new float[n * hid];
        for (int i = 0; i < dp1.length; i++) {
            dp1[i] = p1[i] > 0 ? dh1[i] * mask[i] : 0f;
        }
        columnSums(dp1, hid, gb1);
        float[] dz1q = new float[n * hid];
        propagate(dp1, dz1q, hid, null);
        float[] dz1 = steOrCopy(qxw1, z1, z1q, dz1q, axw1);
        float[] dw1q = new float[w1.length];
        for (int i = 0; i < n; i++) {
            for (int p = xPtr[i]; p < xPtr[i + 1]; p++) {
                int j = xCol[p];
                float v = xVal[p];
                for (int c = 0; c < hid; c++) {
                    dw1q[j * hid + c] += v * dz1[i * hid + c];
                }
            }
        }
        float[] dw1 = steOrCopy(qw1, w1, w1q, dw1q, aw1);
        System.arraycopy(dw1, 0, gw1, 0, gw1.length);
        return new Gradients(new float[][] {gw1, gb1, gw2, gb2}, aw1, aw2, axw1, axw2, ax, bx);
    }

    /** Accuracy of argmax(logits) over the given nodes, from an evaluation forward pass. */
    public double accuracy(int[] nodes) {
        float[] logits = forward(false, null);
        return accuracy(logits, nodes);
    }

    double accuracy(float[] logits, int[] nodes) {
        return GcnOps.accuracy(logits, classes, data.labels(), nodes);
    }

    /** Mean cross-entropy over nodes; writes dLoss/dlogits into grad (zero elsewhere). */
    double softmaxCrossEntropy(float[] logits, int[] nodes, float[] grad) {
        return GcnOps.softmaxCrossEntropy(logits, classes, data.labels(), nodes, grad);
    }

    private static void quantOrCopy(ChannelQuantizer q, float[] in, float[] out) {
        if (q == null) {
            System.arraycopy(in, 0, out, 0, in.length);
        } else {
            q.forward(in, out);
        }
    }

    private static float[] steOrCopy(ChannelQuantizer q, float[] x, float[] xq, float[] gradOut, float[] dAlpha) {
        if (q == null) {
            return gradOut;
        }
        float[] gradIn = new float[gradOut.length];
        q.backward(x, xq, gradOut, gradIn, dAlpha);
        return gradIn;
    }

    /** out = A^ · in (+ bias per column when bias != null); in and out are n x cols. */
    private void propagate(float[] in, float[] out, int cols, float[] bias) {
        for (int i = 0; i < n; i++) {
            int o = i * cols;
            if (bias != null) {
                System.arraycopy(bias, 0, out, o, cols);
            } else {
                Arrays.fill(out, o, o + cols, 0f);
            }
            for (int p = aPtr[i]; p < aPtr[i + 1]; p++) {
                int j = aCol[p] * cols;
                float v = aVal[p];
                for (int c = 0; c < cols; c++) {
                    out[o + c] += v * in[j + c];
                }
            }
        }
    }

    /** z1 = X · w1q with X's non-zeros. */
    private void sparseTimesDense(float[] out) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = xPtr[i]; p < xPtr[i + 1]; p++) {
                int j = xCol[p] * hid;
                float v = xVal[p];
                for (int c = 0; c < hid; c++) {
                    out[i * hid + c] += v * w1q[j + c];
                }
            }
        }
    }

    static void denseTimesDense(float[] a, float[] b, float[] out, int rows, int inner, int cols) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                float av = a[i * inner + k];
                if (av == 0f) {
                    continue;
                }
                for (int c = 0; c < cols; c++) {
                    out[i * cols + c] += av * b[k * cols + c];
                }
            }
        }
    }

    /** out (rows x inner) = g (rows x cols) · b^T, with b inner x cols. */
    private static void denseTimesTransposed(float[] g, float[] b, float[] out, int rows, int cols, int inner) {
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                float s = 0;
                for (int c = 0; c < cols; c++) {
                    s += g[i * cols + c] * b[k * cols + c];
                }
                out[i * inner + k] = s;
            }
        }
    }

    /** out (inner x cols) = a^T (a: rows x inner) · g (rows x cols). */
    private static void transposedTimesDense(float[] a, float[] g, float[] out, int rows, int inner, int cols) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                float av = a[i * inner + k];
                if (av == 0f) {
                    continue;
                }
                for (int c = 0; c < cols; c++) {
                    out[k * cols + c] += av * g[i * cols + c];
                }
            }
        }
    }

    private void columnSums(float[] m, int cols, float[] out) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                out[c] += m[i * cols + c];
            }
        }
    }

    /** A^ = D^-1/2 (A + I) D^-1/2 as CSR; returns the values, puts rowPtr and columns into out[0], out[1]. */
    public static float[] normalisedAdjacency(CsrGraph g, int[][] out) {
        int n = g.numNodes();
        int[] ptr = new int[n + 1];
        for (int v = 0; v < n; v++) {
            ptr[v + 1] = ptr[v] + g.degree(v) + 1;
        }
        int[] col = new int[ptr[n]];
        float[] val = new float[ptr[n]];
        double[] dinv = new double[n];
        for (int v = 0; v < n; v++) {
            dinv[v] = 1 / Math.sqrt(g.degree(v) + 1.0);
        }
        for (int v = 0; v < n; v++) {
            int p = ptr[v];
            col[p] = v;
            val[p++] = (float) (dinv[v] * dinv[v]);
            for (int u : g.neighbours(v)) {
                col[p] = u;
                val[p++] = (float) (dinv[v] * dinv[u]);
            }
        }
        out[0] = ptr;
        out[1] = col;
        return val;
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

    /** In-degree per node (the graph is symmetric, so the degree). */
    public static int[] inDegrees(CsrGraph g) {
        int[] d = new int[g.numNodes()];
        for (int v = 0; v < d.length; v++) {
            d[v] = g.degree(v);
        }
        return d;
    }

    /**
     * Weight steps start at LSQ's 2·mean|w_c| / sqrt(qmax) per output channel. (The released A2Q code
     * draws |N(0.1, 0.2)|, which at Glorot scale puts most weights of a 1433-wide layer in the zero bin
     * at start; the learned steps end up at the same scale either way.)
     */
    static float[] lsqInit(float[] w, int rows, int cols, int bits) {
        double qmax = (1 << (bits - 1)) - 1;
        float[] a = new float[cols];
        for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += Math.abs(w[r * cols + c]);
            }
            a[c] = (float) Math.max(1e-4, 2 * (s / rows) / Math.sqrt(qmax));
        }
        return a;
    }

    static float[] absNormal(int len, double mean, double sd, SplittableRandom r) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) Math.max(1e-4, Math.abs(mean + sd * gaussian(r)));
        }
        return a;
    }

    static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-300, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
