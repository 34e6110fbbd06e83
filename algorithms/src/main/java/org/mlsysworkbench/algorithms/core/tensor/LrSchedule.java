package org.mlsysworkbench.algorithms.core.tensor;

/**
 * A learning-rate schedule: the rate for optimizer step {@code step} (0-based) given the base rate.
 * Implementations are pure functions (thread-safe).
 */
@FunctionalInterface
public interface LrSchedule {

    double lr(int step, double baseLr);

    /** The base rate at every step. */
    static LrSchedule constant() {
        return (step, base) -> base;
    }

    /** {@code base * gamma^(step / every)}: multiply by {@code gamma} every {@code every} steps. */
    static LrSchedule stepDecay(int every, double gamma) {
        if (every <= 0) {
            throw new IllegalArgumentException("stepDecay every must be > 0, got " + every);
        }
        return (step, base) -> base * Math.pow(gamma, step / every);
    }

    /** Cosine annealing from {@code base} to {@code minLr} over {@code total} steps, then {@code minLr}. */
    static LrSchedule cosine(int total, double minLr) {
        return (step, base) -> step >= total ? minLr
                : minLr + 0.5 * (base - minLr) * (1 + Math.cos(Math.PI * step / total));
    }

    /** Linear warm-up from {@code base / warmup} to {@code base} over {@code warmup} steps, then {@code then}. */
    static LrSchedule warmup(int warmup, LrSchedule then) {
        return (step, base) -> step < warmup ? base * (step + 1) / warmup : then.lr(step - warmup, base);
    }
}
