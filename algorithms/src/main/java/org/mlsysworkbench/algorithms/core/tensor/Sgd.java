package org.mlsysworkbench.algorithms.core.tensor;

import java.util.List;

/**
 * Stochastic gradient descent with momentum and L2 weight decay (PyTorch's form):
 * {@code g' = g + wd * p; v = mu * v + g'; p -= lr * (nesterov ? g' + mu * v : v)}.
 */
public final class Sgd extends Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Tensor[] velocity;

    public Sgd(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov,
               LrSchedule schedule) {
        super(params, lr, schedule);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.velocity = new Tensor[this.params.size()];
    }

    /** Plain SGD with momentum, no weight decay, constant rate. */
    public Sgd(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, false, LrSchedule.constant());
    }

    @Override
    protected void update(int index, Tensor p, Tensor g, double lr, int t) {
        if (velocity[index] == null) {
            velocity[index] = Tensor.zeros(p.dtype(), p.shape());
        }
        Tensor v = velocity[index];
        for (int i = 0; i < p.size(); i++) {
            double gi = g.get(i) + weightDecay * p.get(i);
            double vi = momentum * v.get(i) + gi;
            v.set(i, vi);
            p.set(i, p.get(i) - lr * (nesterov ? gi + momentum * vi : vi));
        }
    }
}
