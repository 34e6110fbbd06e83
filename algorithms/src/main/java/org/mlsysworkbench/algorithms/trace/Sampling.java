package org.mlsysworkbench.algorithms.trace;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Sampling and calibration helpers of {@link TraceGenerator}. Stateless. */
final class Sampling {

    /** Largest number of items {@link #order} can sort (22 index bits). */
    static final int MAX_ITEMS = 1 << 22;

    private Sampling() {
    }

    /**
     * Stratified uniforms: one draw in each of the n strata [i/n, (i+1)/n), shuffled. The sample's
     * quantiles then follow the target distribution closely (Latin-hypercube sampling in one dimension).
     */
    static double[] stratified(int n, SplittableRandom rnd) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = (i + rnd.nextDouble()) / n;
        }
        shuffle(u, rnd);
        return u;
    }

    static void shuffle(double[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static void shuffle(byte[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            byte t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The sample median (mean of the two middle values for an even count). */
    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    /** The linear-interpolated p-quantile of a sample, as pandas and DuckDB's quantile_cont compute it. */
    static double quantile(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = p * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Stretches the values above {@code pivot} so the sample mean becomes {@code target}: each
     * {@code v > pivot} becomes {@code min(cap_i, pivot + s·(v − pivot))} with one factor s ≥ 0 found by
     * bisection. Order, and therefore every quantile at or below the pivot, is unchanged. The largest value
     * is pinned to {@code pinMax} when that is finite (the published maximum is an order statistic).
     *
     * @param caps per-item caps, or null for {@code cap} everywhere
     * @return the factor s used
     */
    static double calibrateMean(double[] v, double pivot, double target, double cap, double[] caps, double pinMax) {
        if (v.length == 0 || Double.isNaN(target)) {
            return 1;
        }
        int top = argMax(v);
        double[] base = v.clone();
        double lo = 0;
        double hi = 1;
        while (meanAfter(base, pivot, hi, cap, caps, top, pinMax) < target && hi < 1e7) {
            hi *= 2;
        }
        if (meanAfter(base, pivot, 0, cap, caps, top, pinMax) > target) {
            hi = 0;
        }
        for (int it = 0; it < 80 && hi > 0; it++) {
            double mid = 0.5 * (lo + hi);
            if (meanAfter(base, pivot, mid, cap, caps, top, pinMax) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double s = hi;
        for (int i = 0; i < v.length; i++) {
            v[i] = stretch(base[i], pivot, s, cap, caps == null ? Double.MAX_VALUE : caps[i]);
        }
        if (!Double.isNaN(pinMax)) {
            v[top] = caps == null ? pinMax : Math.min(pinMax, caps[top]);
        }
        return s;
    }

    private static double stretch(double v, double pivot, double s, double cap, double itemCap) {
        double out = v <= pivot ? v : pivot + s * (v - pivot);
        return Math.min(out, Math.min(cap, itemCap));
    }

    private static double meanAfter(double[] base, double pivot, double s, double cap, double[] caps, int top,
                                    double pinMax) {
        double sum = 0;
        for (int i = 0; i < base.length; i++) {
            double itemCap = caps == null ? Double.MAX_VALUE : caps[i];
            sum += i == top && !Double.isNaN(pinMax) ? Math.min(pinMax, itemCap) : stretch(base[i], pivot, s, cap,
                    itemCap);
        }
        return sum / base.length;
    }

    /**
     * The permutation that sorts {@code key} ascending (ties by index). Keys are quantised to 41 bits over
     * [lo, hi] and packed with the index into one long, so a primitive sort does the work.
     */
    static int[] order(double[] key, double lo, double hi) {
        int n = key.length;
        if (n > MAX_ITEMS) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS + " items, got " + n);
        }
        long levels = (1L << 41) - 1;
        double span = hi > lo ? hi - lo : 1;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            double t = (key[i] - lo) / span;
            long q = (long) (Math.max(0, Math.min(1, t)) * levels);
            packed[i] = (q << 22) | i;
        }
        Arrays.sort(packed);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = (int) (packed[i] & (MAX_ITEMS - 1));
        }
        return idx;
    }

    /** Ranks (0..n−1) of the values, ascending, ties by index. */
    static int[] ranks(double[] v) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double x : v) {
            double l = Math.log1p(Math.max(0, x));
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        double[] key = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            key[i] = Math.log1p(Math.max(0, v[i]));
        }
        int[] ord = order(key, lo, hi);
        int[] rank = new int[v.length];
        for (int r = 0; r < ord.length; r++) {
            rank[ord[r]] = r;
        }
        return rank;
    }

    /**
     * Pairs a multiset of values with items by a Gaussian rank coupling: item i's score is
     * {@code ρ·Φ⁻¹((rank_i + 0.5)/n) + √(1−ρ²)·ε_i}, and the k-th largest value goes to the item with the
     * k-th largest score. Both marginals are kept exactly; ρ sets how strongly the two move together.
     *
     * @param ranks    the items' ranks in the other variable
     * @param sortedDesc the values to hand out, largest first
     * @param eps      one standard-normal draw per item (fixed across calls, so the result moves smoothly with ρ)
     */
    static double[] couple(int[] ranks, double[] sortedDesc, double rho, double[] eps) {
        return couple(ranks, sortedDesc, rho, eps, null);
    }

    /** {@link #couple(int[], double[], double, double[])} with a per-item shift of the score (null: none). */
    static double[] couple(int[] ranks, double[] sortedDesc, double rho, double[] eps, double[] boost) {
        int n = ranks.length;
        double[] score = new double[n];
        double c = Math.sqrt(Math.max(0, 1 - rho * rho));
        for (int i = 0; i < n; i++) {
            score[i] = rho * inverseNormal((ranks[i] + 0.5) / n) + c * eps[i] + (boost == null ? 0 : boost[i]);
        }
        int[] ord = order(score, -12, 24);
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[ord[n - 1 - k]] = sortedDesc[k];
        }
        return out;
    }

    static double[] sortedDescending(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double pLow = 0.02425;
        if (p <= 0) {
            return -40;
        }
        if (p >= 1) {
            return 40;
        }
        if (p < pLow) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - pLow) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
