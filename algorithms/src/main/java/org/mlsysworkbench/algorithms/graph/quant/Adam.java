package org.mlsysworkbench.algorithms.graph.quant;

/**
 * Adam over one float array (PyTorch semantics: L2 weight decay added to the gradient, bias-corrected
 * moments). One instance per parameter array; not thread-safe.
 */
public final class Adam {

    private final float[] param;
    private final float[] m;
    private final float[] v;
    private final double lr;
    private final double weightDecay;
    private int t;

    public Adam(float[] param, double lr, double weightDecay) {
        this.param = param;
        this.m = new float[param.length];
        this.v = new float[param.length];
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    /** One step with gradient g (same length as the parameter); g is left unchanged. */
    public void step(float[] g) {
        t++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < param.length; i++) {
            double gi = g[i] + weightDecay * param[i];
            m[i] = (float) (b1 * m[i] + (1 - b1) * gi);
            v[i] = (float) (b2 * v[i] + (1 - b2) * gi * gi);
            param[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }
}
