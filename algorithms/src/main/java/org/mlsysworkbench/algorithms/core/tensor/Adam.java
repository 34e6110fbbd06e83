package org.mlsysworkbench.algorithms.core.tensor;

import java.util.List;

/**
 * Adam (Kingma and Ba) with bias correction, and AdamW (Loshchilov and Hutter) when weight decay is
 * decoupled: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}. Coupled weight decay adds {@code wd * p} to
 * {@code g} (Adam + L2); decoupled subtracts {@code lr * wd * p} from {@code p} (AdamW).
 */
public final class Adam extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final Tensor[] m;
    private final Tensor[] v;

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupled, LrSchedule schedule) {
        super(params, lr, schedule);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
    }

    /** Adam with L2 weight decay (as in the GCN paper), betas 0.9/0.999, eps 1e-8, constant rate. */
    public static Adam adam(List<Tensor> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false, LrSchedule.constant());
    }

    /** AdamW: decoupled weight decay, betas 0.9/0.999, eps 1e-8. */
    public static Adam adamW(List<Tensor> params, double lr, double weightDecay, LrSchedule schedule) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, true, schedule);
    }

    @Override
    protected void update(int index, Tensor p, Tensor g, double lr, int t) {
        if (m[index] == null) {
            m[index] = Tensor.zeros(p.dtype(), p.shape());
            v[index] = Tensor.zeros(p.dtype(), p.shape());
        }
        Tensor mi = m[index];
        Tensor vi = v[index];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.size(); i++) {
            double pv = p.get(i);
            double gi = g.get(i) + (decoupled ? 0 : weightDecay * pv);
            double mv = beta1 * mi.get(i) + (1 - beta1) * gi;
            double vv = beta2 * vi.get(i) + (1 - beta2) * gi * gi;
            mi.set(i, mv);
            vi.set(i, vv);
            if (decoupled) {
                pv -= lr * weightDecay * pv;
            }
            p.set(i, pv - lr * (mv / c1) / (Math.sqrt(vv / c2) + eps));
        }
    }
}
