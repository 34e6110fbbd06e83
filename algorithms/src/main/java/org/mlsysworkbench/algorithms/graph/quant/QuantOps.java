package org.mlsysworkbench.algorithms.graph.quant;

import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;

/**
 * A2Q's quantizers as differentiable ops of the tensor engine ({@link Tape}), so that GIN (and any other
 * model built from {@code Ops}/{@code Nn}) trains with them. The scalar quantizer is the spec sheet's
 * (see {@link A2qQuantizer#quantize}):
 * <pre>
 *   b^ = round(|b|),  qmax = 2^(b^ - 1) - 1,  a = |alpha|
 *   x_q = sign(x) * floor(|clip(x / a, -qmax, qmax)| + 0.5) * a
 * </pre>
 * Gradients: the input gets the straight-through estimate, zeroed where |x| > qmax * a. The step and the
 * bits get either
 * <ul>
 *   <li>{@link Gradient#LOCAL} (A2Q's Local Gradient, node-level features and X·W): per row,
 *       {@code d alpha = mean_j sign(e_ij) * [inside (round(x/a) - x/a) + (1 - inside) sign(x) qmax]},
 *       {@code d b = mean_j sign(e_ij) (1 - inside) (qmax + 1) ln2 a sign(x)} with {@code e = x_q - x},
 *       independent of the upstream gradient: it descends each row's mean |x_q - x|;</li>
 *   <li>{@link Gradient#TASK} (LSQ-style, weights and the graph-level variant):
 *       {@code d alpha = sum_j g * [same bracket]}, {@code d b = sum_j g (1 - inside) sign(x) (qmax + 1) ln2 a}.</li>
 * </ul>
 * Rows can share parameters: {@code group[r]} names the (alpha, b) entry of row r (the Nearest Neighbour
 * Strategy's table); the row gradients are scatter-added into their group.
 *
 * <p>Gradient-check mode ({@link Nn#smoothSurrogates(boolean)}): rounding becomes the identity, both for
 * {@code x / a} and for {@code |b|} ({@code qmax = 2^(|b| - 1) - 1}), so the forward pass is the smooth
 * function {@code clip(x, -qmax a, qmax a)} whose derivatives the backward pass uses.
 */
public final class QuantOps {

    private static final double LN2 = Math.log(2);

    /** How the step and bits gradients are formed. */
    public enum Gradient { LOCAL, TASK }

    private QuantOps() {
    }

    /**
     * A2Q's quantizer with one (alpha, b) per row (node): {@code x [R, F]}, {@code alpha [R]} and {@code bits [R]}
     * (any shape with R elements).
     */
    public static Tensor a2qRows(Tensor x, Tensor alpha, Tensor bits, Gradient mode) {
        return a2qGrouped(x, alpha, bits, null, mode);
    }

    /**
     * A2Q's quantizer with rows mapped to shared parameters: row r uses {@code alpha[group[r]], bits[group[r]]};
     * {@code group == null} means row r uses entry r.
     */
    public static Tensor a2qGrouped(Tensor x, Tensor alpha, Tensor bits, int[] group, Gradient mode) {
        int rows = x.dim(0);
        int f = x.size() / Math.max(1, rows);
        if (group == null && (alpha.size() != rows || bits.size() != rows)) {
            throw new IllegalArgumentException("a2q: " + alpha.size() + " steps and " + bits.size() + " bits for "
                    + rows + " rows");
        }
        if (group != null && group.length != rows) {
            throw new IllegalArgumentException("a2q: " + group.length + " group indices for " + rows + " rows");
        }
        boolean smooth = Nn.smoothSurrogatesOn();
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int r = 0; r < rows; r++) {
            int k = group == null ? r : group[r];
            double a = step(alpha.get(k));
            double qmax = qmax(bits.get(k), smooth);
            for (int j = r * f; j < (r + 1) * f; j++) {
                y.set(j, quantize(x.get(j), a, qmax, smooth));
            }
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad();
            Tensor gx = x.requiresGrad() ? x.gradBuffer() : null;
            Tensor ga = alpha.requiresGrad() ? alpha.gradBuffer() : null;
            Tensor gb = bits.requiresGrad() ? bits.gradBuffer() : null;
            for (int r = 0; r < rows; r++) {
                int k = group == null ? r : group[r];
                double a = step(alpha.get(k));
                double qmax = qmax(bits.get(k), smooth);
                double sumA = 0;
                double sumB = 0;
                for (int j = r * f; j < (r + 1) * f; j++) {
                    double v = x.get(j);
                    boolean inside = Math.abs(v) <= qmax * a;
                    double w = mode == Gradient.TASK ? g.get(j) : Math.signum(y.get(j) - v);
                    if (inside) {
                        double q = v / a;
                        sumA += w * ((smooth ? q : roundHalfAway(q)) - q);
                        if (gx != null) {
                            gx.set(j, gx.get(j) + g.get(j));
                        }
                    } else {
                        sumA += w * Math.signum(v) * qmax;
                        sumB += w * Math.signum(v) * (qmax + 1) * LN2 * a;
                    }
                }
                if (mode == Gradient.LOCAL) {
                    sumA /= f;
                    sumB /= f;
                }
                if (ga != null) {
                    ga.set(k, ga.get(k) + sumA * sign(alpha.get(k)));
                }
                if (gb != null) {
                    gb.set(k, gb.get(k) + sumB * sign(bits.get(k)));
                }
            }
        }, x, alpha, bits);
    }

    /**
     * Per-column quantizer with fixed bits and a learned step per column: {@code w [R, C]}, {@code alpha [C]}.
     * Weights use {@link Gradient#TASK} (4 bits in A2Q; the weight bits are never trained).
     */
    public static Tensor channels(Tensor w, Tensor alpha, int bits, Gradient mode) {
        int cols = w.dim(w.rank() - 1);
        int rows = w.size() / cols;
        if (alpha.size() != cols) {
            throw new IllegalArgumentException("channels: " + alpha.size() + " steps for " + cols + " columns");
        }
        boolean smooth = Nn.smoothSurrogatesOn();
        double qmax = (1 << (bits - 1)) - 1;
        Tensor y = Tensor.zeros(w.dtype(), w.shape());
        for (int i = 0; i < w.size(); i++) {
            y.set(i, quantize(w.get(i), step(alpha.get(i % cols)), qmax, smooth));
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad();
            Tensor gw = w.requiresGrad() ? w.gradBuffer() : null;
            double[] sumA = new double[cols];
            for (int i = 0; i < w.size(); i++) {
                int c = i % cols;
                double a = step(alpha.get(c));
                double v = w.get(i);
                boolean inside = Math.abs(v) <= qmax * a;
                double weight = mode == Gradient.TASK ? g.get(i) : Math.signum(y.get(i) - v);
                if (inside) {
                    double q = v / a;
                    sumA[c] += weight * ((smooth ? q : roundHalfAway(q)) - q);
                    if (gw != null) {
                        gw.set(i, gw.get(i) + g.get(i));
                    }
                } else {
                    sumA[c] += weight * Math.signum(v) * qmax;
                }
            }
            if (alpha.requiresGrad()) {
                Tensor ga = alpha.gradBuffer();
                for (int c = 0; c < cols; c++) {
                    double s = mode == Gradient.LOCAL ? sumA[c] / rows : sumA[c];
                    ga.set(c, ga.get(c) + s * sign(alpha.get(c)));
                }
            }
        }, w, alpha);
    }

    /**
     * Straight-through fake quantization: the forward value is {@code quantized} (computed by a baseline
     * quantizer, e.g. uniform or Degree-Quant, same length as x), the backward pass copies the gradient to x.
     */
    public static Tensor straightThrough(Tensor x, float[] quantized) {
        if (quantized.length != x.size()) {
            throw new IllegalArgumentException("straightThrough: " + quantized.length + " values for " + x.size());
        }
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < quantized.length; i++) {
            y.set(i, quantized[i]);
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad()) {
                Tensor g = y.grad();
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < g.size(); i++) {
                    gx.set(i, gx.get(i) + g.get(i));
                }
            }
        }, x);
    }

    /** The scalar quantizer (smooth: rounding is the identity). */
    static double quantize(double x, double a, double qmax, boolean smooth) {
        double xbar = Math.max(-qmax, Math.min(qmax, x / a));
        double level = smooth ? Math.abs(xbar) : Math.floor(Math.abs(xbar) + 0.5);
        return Math.signum(x) * level * a;
    }

    /** qmax = 2^(round|b| - 1) - 1 with round|b| >= 1; smooth: 2^(|b| - 1) - 1 (may be below 0 for |b| < 1). */
    static double qmax(double b, boolean smooth) {
        if (smooth) {
            return Math.pow(2, Math.abs(b) - 1) - 1;
        }
        long bHat = Math.max(1, Math.round(Math.abs(b)));
        return (1L << (Math.min(30, bHat) - 1)) - 1;
    }

    static double step(double alpha) {
        return Math.max(Math.abs(alpha), 1e-12);
    }

    private static double sign(double v) {
        return v < 0 ? -1 : 1;
    }

    private static double roundHalfAway(double r) {
        return Math.signum(r) * Math.floor(Math.abs(r) + 0.5);
    }
}
