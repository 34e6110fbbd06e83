package org.mlsysworkbench.algorithms.graph.quant;

/**
 * A2Q's per-column quantizer of a row-major matrix [rows x cols] with fixed bits and a learned step
 * alpha_c per column: used for the weights (one step per output channel, 4 bits, task gradient,
 * LSQ-style) and for X·W before propagation (one step per output column, sign-of-error local gradient).
 * The scalar formula is {@link A2qQuantizer#quantize}. Not thread-safe.
 */
public final class ChannelQuantizer {

    /** How alpha's gradient is formed. */
    public enum Gradient {
        /** Task gradient g: d alpha = sum_rows g * [inside (round(x/a) - x/a) + (1 - inside) sign(x) qmax]. */
        TASK,
        /** Local: mean_rows sign(x_q - x) * [same bracket], A2Q's choice for X·W. */
        LOCAL
    }

    private final float[] alpha;
    private final int bits;
    private final int cols;
    private final Gradient gradient;

    public ChannelQuantizer(int cols, int bits, float[] initAlpha, Gradient gradient) {
        if (initAlpha.length != cols) {
            throw new IllegalArgumentException("initAlpha has " + initAlpha.length + " values for " + cols + " columns");
        }
        this.alpha = initAlpha.clone();
        this.bits = bits;
        this.cols = cols;
        this.gradient = gradient;
    }

    /** Live step sizes, one per column. */
    public float[] alpha() {
        return alpha;
    }

    public int bits() {
        return bits;
    }

    public int qmax() {
        return (1 << (bits - 1)) - 1;
    }

    public void forward(float[] x, float[] out) {
        int qmax = qmax();
        for (int i = 0; i < x.length; i++) {
            int c = i % cols;
            out[i] = A2qQuantizer.quantize(x[i], Math.max(Math.abs(alpha[c]), 1e-12f), qmax);
        }
    }

    /**
     * Straight-through input gradient (zero where clipped) into gradIn, and alpha's gradient added to dAlpha.
     */
    public void backward(float[] x, float[] xq, float[] gradOut, float[] gradIn, float[] dAlpha) {
        int qmax = qmax();
        double[] ga = new double[cols];
        int rows = x.length / cols;
        for (int i = 0; i < x.length; i++) {
            int c = i % cols;
            float a = Math.max(Math.abs(alpha[c]), 1e-12f);
            float v = x[i];
            boolean inside = Math.abs(v) <= qmax * a;
            double bracket;
            if (inside) {
                float r = v / a;
                bracket = A2qQuantizer.roundHalfAway(r) - r;
            } else {
                bracket = Math.signum(v) * qmax;
            }
            float g = gradOut[i];
            ga[c] += gradient == Gradient.TASK ? g * bracket : Math.signum(xq[i] - v) * bracket;
            gradIn[i] = inside ? g : 0f;
        }
        for (int c = 0; c < cols; c++) {
            double v = gradient == Gradient.TASK ? ga[c] : ga[c] / Math.max(1, rows);
            dAlpha[c] += (float) v * (alpha[c] < 0 ? -1f : 1f);
        }
    }
}
