package org.mlsysworkbench.views.core.charts;

import java.util.Arrays;

/**
 * One append-only series: every raw point, plus its EMA-smoothed twin computed on append. The smoothing
 * is TensorBoard's debiased exponential moving average over the raw values in append order:
 * {@code last = w * last + (1 - w) * y; smoothed = last / (1 - w^k)} with {@code k} the number of finite
 * values so far. It is applied to the raw data before any decimation, and the smoothed value of a point
 * depends only on the points before it, so it never changes when later points arrive. Non-finite values
 * pass through unsmoothed. Thread-safe: a worker may append while the FX thread reads.
 */
public final class SeriesBuffer {

    private final String name;
    private double[] xs = new double[64];
    private double[] ys = new double[64];
    private double[] smoothed = new double[64];
    private int size;
    private double weight;
    private double last;
    private int finiteCount;

    public SeriesBuffer(String name, double smoothingWeight) {
        this.name = name;
        this.weight = checkWeight(smoothingWeight);
    }

    public String name() {
        return name;
    }

    public synchronized int size() {
        return size;
    }

    public synchronized double smoothingWeight() {
        return weight;
    }

    public synchronized void append(double x, double y) {
        if (size == xs.length) {
            int cap = xs.length * 2;
            xs = Arrays.copyOf(xs, cap);
            ys = Arrays.copyOf(ys, cap);
            smoothed = Arrays.copyOf(smoothed, cap);
        }
        xs[size] = x;
        ys[size] = y;
        smoothed[size] = smoothNext(y);
        size++;
    }

    /** Appends many points at once (x[i], y[i]). */
    public synchronized void appendAll(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            append(x[i], y[i]);
        }
    }

    /** Changes the EMA weight (0 = none, up to 0.999) and recomputes every smoothed value. */
    public synchronized void setSmoothingWeight(double w) {
        weight = checkWeight(w);
        last = 0;
        finiteCount = 0;
        for (int i = 0; i < size; i++) {
            smoothed[i] = smoothNext(ys[i]);
        }
    }

    public synchronized void clear() {
        size = 0;
        last = 0;
        finiteCount = 0;
    }

    /** A consistent copy of the first {@code size()} points: x, raw y, smoothed y. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(Arrays.copyOf(xs, size), Arrays.copyOf(ys, size), Arrays.copyOf(smoothed, size));
    }

    /** Copied arrays of one moment; safe to read on any thread. */
    public record Snapshot(double[] x, double[] y, double[] smoothed) {
        public int size() {
            return x.length;
        }
    }

    private double smoothNext(double y) {
        if (!Double.isFinite(y) || weight == 0) {
            return y;
        }
        last = last * weight + (1 - weight) * y;
        finiteCount++;
        double debias = 1 - Math.pow(weight, finiteCount);
        return last / debias;
    }

    private static double checkWeight(double w) {
        if (!(w >= 0 && w <= 0.999)) {
            throw new IllegalArgumentException("smoothing weight must be in [0, 0.999], got " + w);
        }
        return w;
    }
}
