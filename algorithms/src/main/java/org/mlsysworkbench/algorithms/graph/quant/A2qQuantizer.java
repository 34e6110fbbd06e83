package org.mlsysworkbench.algorithms.graph.quant;

/**
 * A2Q's node-wise quantizer (Zhu et al., ICLR 2023): one learned step size alpha_i and bitwidth b_i
 * per row (node) of a feature matrix X [n x f], row-major.
 *
 * <pre>
 *   b^ = round(|b_i|),  qmax = 2^(b^ - 1) - 1,  a = |alpha_i|
 *   xbar = clip(x / a, -qmax, +qmax)
 *   x_q  = sign(x) * floor(|xbar| + 0.5) * a          (ties round away from zero)
 * </pre>
 *
 * A row with b^ = 1 has qmax = 0 and is quantized to zero ("0 reported bits"). Reported bits per node
 * are {@code round(|b|) - 1} (the sign bit is not counted).
 *
 * <p>Gradients (see {@link #backward}): the input gets the straight-through estimate, zeroed where
 * |x/a| > qmax; alpha and b get A2Q's Local Gradient, which descends ||x_q - x||_1 of each node rather
 * than the task loss:
 * <pre>
 *   inside = 1{|x| <= qmax * a},  e = x_q - x
 *   d alpha_i = mean_j sign(e_ij) * [inside * (round(x/a) - x/a) + (1 - inside) * sign(x) * qmax]
 *   d b_i     = mean_j sign(e_ij) * (1 - inside) * (qmax + 1) * ln2 * a * sign(x)
 * </pre>
 * Not thread-safe: one instance per layer, used by one training thread.
 */
public final class A2qQuantizer {

    private static final double LN2 = Math.log(2);

    private final float[] alpha;
    private final float[] bits;
    private final int features;

    /**
     * @param nodes     rows
     * @param features  columns
     * @param initBits  initial b (A2Q: 4, or 5 for post-ReLU input)
     * @param initAlpha initial step sizes, one per node (the paper draws |N(0.01, 0.01)|)
     */
    public A2qQuantizer(int nodes, int features, float initBits, float[] initAlpha) {
        if (initAlpha.length != nodes) {
            throw new IllegalArgumentException("initAlpha has " + initAlpha.length + " values for " + nodes + " nodes");
        }
        this.alpha = initAlpha.clone();
        this.bits = new float[nodes];
        java.util.Arrays.fill(bits, initBits);
        this.features = features;
    }

    /** The learned step sizes (live array: optimisers update it in place). */
    public float[] alpha() {
        return alpha;
    }

    /** The learned bitwidths b (live array; the effective bits are round(|b|)). */
    public float[] bits() {
        return bits;
    }

    public int nodes() {
        return alpha.length;
    }

    public int features() {
        return features;
    }

    /** round(|b_i|), at least 1. */
    public int effectiveBits(int node) {
        return Math.max(1, Math.round(Math.abs(bits[node])));
    }

    /** The reported bits of a node: round(|b|) - 1, so a zeroed node reports 0. */
    public int reportedBits(int node) {
        return effectiveBits(node) - 1;
    }

    /** 2^(b^ - 1) - 1 for a node. */
    public int qmax(int node) {
        return (1 << (Math.min(30, effectiveBits(node)) - 1)) - 1;
    }

    /** Quantizes {@code x} (n x f) into {@code out}; out may be x. */
    public void forward(float[] x, float[] out) {
        for (int i = 0; i < alpha.length; i++) {
            float a = Math.max(Math.abs(alpha[i]), 1e-12f);
            int qmax = qmax(i);
            int base = i * features;
            for (int j = 0; j < features; j++) {
                out[base + j] = quantize(x[base + j], a, qmax);
            }
        }
    }

    /** The scalar quantizer of the class comment. */
    public static float quantize(float x, float a, int qmax) {
        float xbar = Math.max(-qmax, Math.min(qmax, x / a));
        return Math.signum(x) * (float) Math.floor(Math.abs(xbar) + 0.5f) * a;
    }

    /**
     * Back-propagates through the quantizer.
     *
     * @param x        the forward input (n x f)
     * @param xq       the forward output
     * @param gradOut  dLoss/dx_q (n x f)
     * @param gradIn   receives dLoss/dx (straight-through, zero outside the clip range); may be gradOut
     * @param dAlpha   receives (adds) the Local Gradient of alpha, one per node
     * @param dBits    receives (adds) the Local Gradient of b, one per node
     */
    public void backward(float[] x, float[] xq, float[] gradOut, float[] gradIn, float[] dAlpha, float[] dBits) {
        for (int i = 0; i < alpha.length; i++) {
            float a = Math.max(Math.abs(alpha[i]), 1e-12f);
            int qmax = qmax(i);
            int base = i * features;
            double ga = 0;
            double gb = 0;
            for (int j = 0; j < features; j++) {
                float v = x[base + j];
                boolean inside = Math.abs(v) <= qmax * a;
                float e = xq[base + j] - v;
                float se = Math.signum(e);
                float s = Math.signum(v);
                if (inside) {
                    float r = v / a;
                    ga += se * (roundHalfAway(r) - r);
                    gradIn[base + j] = gradOut[base + j];
                } else {
                    ga += se * s * qmax;
                    gb += se * (qmax + 1) * LN2 * a * s;
                    gradIn[base + j] = 0f;
                }
            }
            // the step size enters as |alpha|: chain through its sign
            dAlpha[i] += (float) (ga / features) * (alpha[i] < 0 ? -1f : 1f);
            dBits[i] += (float) (gb / features) * (bits[i] < 0 ? -1f : 1f);
        }
    }

    static float roundHalfAway(float r) {
        return Math.signum(r) * (float) Math.floor(Math.abs(r) + 0.5f);
    }

    /** Sum over nodes of ||x_q - x||_1 for the current parameters: the quantity the Local Gradient descends. */
    public double l1Error(float[] x) {
        double sum = 0;
        for (int i = 0; i < alpha.length; i++) {
            float a = Math.max(Math.abs(alpha[i]), 1e-12f);
            int qmax = qmax(i);
            for (int j = i * features; j < (i + 1) * features; j++) {
                sum += Math.abs(quantize(x[j], a, qmax) - x[j]);
            }
        }
        return sum;
    }

    /** Mean reported bits over nodes, 0-bit nodes included. */
    public double averageReportedBits() {
        long sum = 0;
        for (int i = 0; i < alpha.length; i++) {
            sum += reportedBits(i);
        }
        return alpha.length == 0 ? 0 : (double) sum / alpha.length;
    }
}
