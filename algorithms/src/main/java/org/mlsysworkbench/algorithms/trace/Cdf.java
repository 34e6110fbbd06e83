package org.mlsysworkbench.algorithms.trace;

/**
 * A cumulative distribution over bins: {@code cdf[k]} is the fraction of the weight with value ≤ {@code x[k]}.
 * Immutable.
 *
 * @param name   series name (a job type, "GPU", "CPU", a cluster)
 * @param x      bin upper edges, increasing (seconds or GPUs)
 * @param cdf    cumulative fractions 0..1
 * @param total  the weight behind the curve (jobs or GPU-seconds)
 */
public record Cdf(String name, double[] x, double[] cdf, double total) {

    public Cdf {
        x = x.clone();
        cdf = cdf.clone();
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] cdf() {
        return cdf.clone();
    }

    /** The fraction at or below {@code v} (step function over the bins). */
    public double at(double v) {
        double f = 0;
        for (int i = 0; i < x.length && x[i] <= v; i++) {
            f = cdf[i];
        }
        return f;
    }
}
