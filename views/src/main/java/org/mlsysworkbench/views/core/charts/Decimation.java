package org.mlsysworkbench.views.core.charts;

import java.util.Arrays;

/**
 * Picks which points of a long series to draw. Both methods return indices into the input, in order,
 * always keeping the first and the last point, so a drawn point is always a real (or smoothed) value.
 * Works on index order; x need not be monotone.
 */
public final class Decimation {

    private Decimation() {
    }

    /**
     * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps {@code threshold} points of
     * {@code [from, to)} that preserve the visual shape. Returns every index when the range is no longer.
     */
    public static int[] lttb(double[] x, double[] y, int from, int to, int threshold) {
        int n = to - from;
        threshold = Math.max(threshold, 3);
        if (threshold >= n) {
            return identity(from, to);
        }
        int[] picked = new int[threshold];
        int count = 0;
        picked[count++] = from;
        double every = (double) (n - 2) / (threshold - 2);
        int a = from;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = from + (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min(from + (int) Math.floor((i + 2) * every) + 1, to);
            double avgX = 0;
            double avgY = 0;
            int avgLen = Math.max(avgEnd - avgStart, 0);
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += x[j];
                avgY += y[j];
            }
            if (avgLen > 0) {
                avgX /= avgLen;
                avgY /= avgLen;
            } else {
                avgX = x[to - 1];
                avgY = y[to - 1];
            }
            int rangeStart = from + (int) Math.floor(i * every) + 1;
            int rangeEnd = from + (int) Math.floor((i + 1) * every) + 1;
            double maxArea = -1;
            int next = rangeStart;
            for (int j = rangeStart; j < rangeEnd; j++) {
                double area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
                if (area > maxArea || Double.isNaN(maxArea)) {
                    maxArea = area;
                    next = j;
                }
            }
            picked[count++] = next;
            a = next;
        }
        picked[count++] = to - 1;
        return picked;
    }

    /**
     * Min/max per bucket: splits {@code [from, to)} into {@code buckets} runs of equal length and keeps
     * the smallest and the largest y of each (in index order), so spikes survive; at most
     * {@code 2 * buckets + 2} indices.
     */
    public static int[] minMax(double[] y, int from, int to, int buckets) {
        int n = to - from;
        if (n <= 2 * buckets + 2) {
            return identity(from, to);
        }
        int[] picked = new int[2 * buckets + 2];
        int count = 0;
        picked[count++] = from;
        for (int b = 0; b < buckets; b++) {
            int s = from + 1 + (int) ((long) b * (n - 2) / buckets);
            int e = from + 1 + (int) ((long) (b + 1) * (n - 2) / buckets);
            if (s >= e) {
                continue;
            }
            int lo = s;
            int hi = s;
            for (int j = s + 1; j < e; j++) {
                if (y[j] < y[lo]) {
                    lo = j;
                }
                if (y[j] > y[hi]) {
                    hi = j;
                }
            }
            picked[count++] = Math.min(lo, hi);
            if (lo != hi) {
                picked[count++] = Math.max(lo, hi);
            }
        }
        picked[count++] = to - 1;
        return Arrays.copyOf(picked, count);
    }

    private static int[] identity(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }
}
