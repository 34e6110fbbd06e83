package org.mlsysworkbench.algorithms.core.tensor;

import java.util.List;

/**
 * Updates parameters from their accumulated gradients ({@link Tensor#grad()}). Call {@link #zeroGrad()}
 * before each backward pass (or after each step), then {@link #step()}. Parameters without a gradient
 * (not reached by the last backward pass) are skipped. State buffers are allocated once.
 * Not thread-safe.
 */
public abstract class Optimizer {

    protected final List<Tensor> params;
    protected final double baseLr;
    protected final LrSchedule schedule;
    private int steps;

    protected Optimizer(List<Tensor> params, double baseLr, LrSchedule schedule) {
        this.params = List.copyOf(params);
        this.baseLr = baseLr;
        this.schedule = schedule;
        for (Tensor p : this.params) {
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("optimizer parameter does not require a gradient: " + p);
            }
        }
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Applies one update with the scheduled learning rate and advances the step counter. */
    public void step() {
        double lr = learningRate();
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() != null) {
                update(i, p, p.grad(), lr, steps);
            }
        }
    }

    /** The learning rate the next {@link #step()} will use. */
    public double learningRate() {
        return schedule.lr(steps, baseLr);
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    public List<Tensor> parameters() {
        return params;
    }

    /** Updates parameter {@code index} in place; {@code t} is the 1-based step number. */
    protected abstract void update(int index, Tensor p, Tensor g, double lr, int t);
}
