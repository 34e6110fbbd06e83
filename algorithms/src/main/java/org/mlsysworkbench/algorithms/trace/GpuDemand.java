package org.mlsysworkbench.algorithms.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * A discrete distribution of GPUs per GPU job: the release's job-count curve over GPU counts
 * ({@code cdf_job_gpunum/jobs_by_gpu_num}), truncated at the published maximum and tilted above one GPU,
 * {@code p'(g) ∝ p(g)·g^θ}, with θ set by bisection so the mean is the published mean. The mass at one
 * GPU (and so the median) is unchanged. Immutable.
 */
final class GpuDemand {

    private final double[] values;
    private final double[] cumulative;

    private GpuDemand(double[] values, double[] cumulative) {
        this.values = values;
        this.cumulative = cumulative;
    }

    static GpuDemand forPreset(ClusterPreset preset, ClusterSummary t, FigureCurves curves) {
        CdfCurve curve = curves.get("cdf_job_gpunum", "jobs_by_gpu_num", preset.clusterId());
        double max = t.get(SummaryColumn.MAX_GPU);
        double[] x = curve.x();
        double[] f = curve.cdf();
        List<double[]> atoms = new ArrayList<>();
        double prev = 0;
        for (int i = 0; i < x.length && x[i] <= max; i++) {
            double p = f[i] - prev;
            prev = f[i];
            if (p > 0) {
                atoms.add(new double[] {x[i], p});
            }
        }
        if (preset == ClusterPreset.PAI) {
            double one = atoms.get(0)[1];
            atoms.remove(0);
            atoms.add(0, new double[] {1.0, 0.30 * one});
            atoms.add(0, new double[] {0.5, 0.45 * one});
            atoms.add(0, new double[] {0.25, 0.25 * one});
        }
        double[] v = new double[atoms.size()];
        double[] p = new double[atoms.size()];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = atoms.get(i)[0];
            p[i] = atoms.get(i)[1];
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        double target = t.get(SummaryColumn.AVG_GPU_NUM);
        double lo = -3;
        double hi = 3;
        for (int it = 0; it < 100; it++) {
            double mid = 0.5 * (lo + hi);
            if (mean(v, tilt(v, p, mid)) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double[] q = tilt(v, p, 0.5 * (lo + hi));
        double[] cum = new double[q.length];
        double run = 0;
        for (int i = 0; i < q.length; i++) {
            run += q[i];
            cum[i] = run;
        }
        cum[cum.length - 1] = 1.0;
        return new GpuDemand(v, cum);
    }

    private static double[] tilt(double[] v, double[] p, double theta) {
        double below = 0;
        double above = 0;
        double[] q = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            if (v[i] <= 1) {
                below += p[i];
                q[i] = p[i];
            } else {
                q[i] = p[i] * Math.pow(v[i], theta);
                above += q[i];
            }
        }
        double scale = above > 0 ? (1 - below) / above : 0;
        for (int i = 0; i < p.length; i++) {
            if (v[i] > 1) {
                q[i] *= scale;
            }
        }
        return q;
    }

    private static double mean(double[] v, double[] p) {
        double m = 0;
        for (int i = 0; i < v.length; i++) {
            m += v[i] * p[i];
        }
        return m;
    }

    double quantile(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return values[lo];
    }

    double mean() {
        double m = 0;
        double prev = 0;
        for (int i = 0; i < values.length; i++) {
            m += values[i] * (cumulative[i] - prev);
            prev = cumulative[i];
        }
        return m;
    }
}
