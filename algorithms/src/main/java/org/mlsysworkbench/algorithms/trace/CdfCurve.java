package org.mlsysworkbench.algorithms.trace;

import java.util.Arrays;

/**
 * An empirical CDF given as points {@code (x_k, F_k)}, x strictly increasing, F non-decreasing in 0..1.
 * Between points it interpolates linearly in {@code log x} (the curves are plotted on log axes); below the
 * first point linearly from {@code (0, 0)}. Immutable and thread-safe.
 */
public final class CdfCurve {

    private final double[] x;
    private final double[] f;

    /**
     * @param x      strictly increasing positive values
     * @param cdf    cumulative fractions 0..1, non-decreasing
     */
    public CdfCurve(double[] x, double[] cdf) {
        if (x.length != cdf.length || x.length < 2) {
            throw new IllegalArgumentException("need at least two (x, F) points");
        }
        for (int i = 1; i < x.length; i++) {
            if (!(x[i] > x[i - 1]) || cdf[i] < cdf[i - 1]) {
                throw new IllegalArgumentException("x must increase and F must not decrease at point " + i);
            }
        }
        if (x[0] <= 0) {
            throw new IllegalArgumentException("x must be positive");
        }
        this.x = x.clone();
        this.f = cdf.clone();
    }

    public double[] x() {
        return x.clone();
    }

    public double[] cdf() {
        return f.clone();
    }

    /** F at the last point (below 1 when the plotted curve stops short of 100 %). */
    public double lastCdf() {
        return f[f.length - 1];
    }

    /** F(v), interpolated in log x. */
    public double cdfAt(double v) {
        if (v <= 0) {
            return 0;
        }
        if (v <= x[0]) {
            return f[0] * v / x[0];
        }
        int k = Arrays.binarySearch(x, v);
        if (k >= 0) {
            return f[k];
        }
        int hi = -k - 1;
        if (hi >= x.length) {
            return f[f.length - 1];
        }
        int lo = hi - 1;
        double t = (Math.log(v) - Math.log(x[lo])) / (Math.log(x[hi]) - Math.log(x[lo]));
        return f[lo] + t * (f[hi] - f[lo]);
    }

    /**
     * The quantile function: the smallest v with F(v) ≥ u, log-interpolated. Above the last point the
     * curve is extended in log x with the slope of its last rising segment, up to {@code cap}.
     *
     * @param u   probability in [0, 1]
     * @param cap largest value returned
     */
    public double quantile(double u, double cap) {
        if (u <= f[0]) {
            return f[0] <= 0 ? 0 : Math.min(cap, x[0] * u / f[0]);
        }
        int n = x.length;
        if (u > f[n - 1]) {
            int k = n - 1;
            while (k > 0 && f[k] - f[k - 1] <= 1e-9) {
                k--;
            }
            if (k == 0) {
                return cap;
            }
            double slope = (f[k] - f[k - 1]) / (Math.log(x[k]) - Math.log(x[k - 1]));
            double v = x[n - 1] * Math.exp((u - f[n - 1]) / slope);
            return Math.min(cap, v);
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (f[mid] >= u) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double span = f[hi] - f[lo];
        double t = span <= 0 ? 1 : (u - f[lo]) / span;
        return Math.min(cap, Math.exp(Math.log(x[lo]) + t * (Math.log(x[hi]) - Math.log(x[lo]))));
    }

    /** The median read off the curve (log-interpolated), as in the data folder's accuracy check. */
    public double median() {
        return quantile(0.5, Double.MAX_VALUE);
    }
}
