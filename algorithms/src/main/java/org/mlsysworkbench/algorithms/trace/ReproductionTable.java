package org.mlsysworkbench.algorithms.trace;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the reproduction table: every column of the cluster's published summary row and the paper's
 * workload claims that a job trace can check, each beside the recomputed value with a verdict. Summary
 * tolerances: rates within 2 points, everything else within 5 % relative (PARTIAL up to three times that).
 * Counts and GPU-time totals are compared per published job: the recomputed value is divided by
 * {@code jobScale} (generated jobs / published jobs; 1 for a full real trace). Stateless.
 */
public final class ReproductionTable {

    /** Relative tolerance of non-rate summary columns. */
    public static final double RELATIVE_TOLERANCE = 0.05;
    /** Absolute tolerance of rates (fractions): 2 points. */
    public static final double RATE_TOLERANCE = 0.02;

    private ReproductionTable() {
    }

    /** One row per summary column. */
    public static List<ReproductionRow> summaryRows(ClusterSummary published, ClusterSummary recomputed,
                                                    double jobScale) {
        List<ReproductionRow> rows = new ArrayList<>();
        for (SummaryColumn c : SummaryColumn.values()) {
            double p = published.get(c);
            double r = recomputed.get(c);
            if (c.extensive()) {
                r /= jobScale;
            }
            rows.add(summaryRow(published.id(), c, p, r));
        }
        return rows;
    }

    private static ReproductionRow summaryRow(String cluster, SummaryColumn c, double p, double r) {
        boolean rate = c.kind() == SummaryColumn.Kind.RATE;
        String unit = switch (c.kind()) {
            case COUNT -> "jobs";
            case SECONDS -> "s";
            case GPUS -> "GPUs";
            case RATE -> "%";
            case GPU_SECONDS -> "GPU-s";
        };
        double shownP = rate ? 100 * p : p;
        double shownR = rate ? 100 * r : r;
        Agreement a;
        if (Double.isNaN(p) || Double.isNaN(r)) {
            a = Agreement.NOT_AVAILABLE;
        } else if (rate) {
            a = verdict(Math.abs(r - p), RATE_TOLERANCE);
        } else {
            a = verdict(relative(r, p), RELATIVE_TOLERANCE);
        }
        return new ReproductionRow(cluster, c.csvName(), shownP, shownR, unit,
                rate ? "±2 points" : "±5 % relative", a);
    }

    /** |r − p| / |p|, or |r − p| when p is 0. */
    public static double relative(double r, double p) {
        return p == 0 ? Math.abs(r - p) : Math.abs(r - p) / Math.abs(p);
    }

    static Agreement verdict(double error, double tolerance) {
        if (error <= tolerance + 1e-12) {
            return Agreement.AGREE;
        }
        return error <= 3 * tolerance ? Agreement.PARTIAL : Agreement.DISAGREE;
    }

    /**
     * The paper's workload claims (acme-trace.md, "Workload claims") that the loaded jobs can check, for
     * Seren or Kalos; empty for other clusters. The paper numbers are from third-party reading notes
     * (marked unverified in the sheet).
     */
    public static List<ReproductionRow> claimRows(TraceDatabase db, String cluster) throws SQLException {
        boolean seren = cluster.equalsIgnoreCase("Seren");
        boolean kalos = cluster.equalsIgnoreCase("Kalos");
        List<ReproductionRow> rows = new ArrayList<>();
        String util = UtilizationCurves.GPU_UTIL.get(cluster.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + cluster.substring(1).toLowerCase(java.util.Locale.ROOT));
        if (cluster.equalsIgnoreCase("PAI")) {
            util = UtilizationCurves.GPU_UTIL.get("PAI");
        }
        if (util != null) {
            // claim 6 reads the bundled telemetry CDFs, not the jobs; the paper's Seren/Kalos labels are swapped
            double paper = seren ? 97 : kalos ? 99 : cluster.equalsIgnoreCase("Philly") ? 48 : 4;
            rows.add(approx(cluster, "6. median GPU utilisation (release telemetry CDF)", paper,
                    UtilizationCurves.bundled().get(util).quantile(0.5), "%", 0.015));
        }
        if (!seren && !kalos) {
            return rows;
        }
        ClusterSummary s = TraceStatistics.summary(db, cluster);
        rows.add(approx(cluster, "1. average GPUs per GPU job", seren ? 5.7 : 26.8, s.get(SummaryColumn.AVG_GPU_NUM),
                "GPUs", 0.05));
        rows.add(range(cluster, "2. failed share of GPU jobs (about 40 %)", 35, 45,
                100 * s.get(SummaryColumn.FAIL_RATE_GPU)));
        rows.add(range(cluster, "2. completed jobs' share of GPU time (20-30 %)", 20, 30,
                100 * s.get(SummaryColumn.COMPLETE_RATE_GPU_TIME)));
        rows.add(range(cluster, "3. cancelled share of GPU jobs (about 6-7 %)", 6, 7,
                100 * s.get(SummaryColumn.CANCEL_RATE_GPU)));
        rows.add(approx(cluster, "3. cancelled jobs' share of GPU time (about 63 %)", 63,
                100 * s.get(SummaryColumn.CANCEL_RATE_GPU_TIME), "%", 0.08));
        rows.add(approx(cluster, "4. median GPU-job duration (about 2 min)", 120, s.get(SummaryColumn.MED_RUN_TIME_GPU),
                "s", 0.15));
        double oneGpu = 100 * fraction(db, "gpu_num = 1", "is_gpu");
        rows.add(range(cluster, "8. most GPU jobs use 1 GPU (share > 50 %)", 50, 100, oneGpu));
        rows.add(range(cluster, "8. GPU jobs requesting more than 8 GPUs (under 7 %)", 0, 7,
                100 * fraction(db, "gpu_num > 8", "is_gpu")));
        rows.add(range(cluster, "9. 1-GPU jobs' share of GPU time (under 2 %)", 0, 2,
                100 * timeFraction(db, "gpu_num = 1", "is_gpu")));
        if (kalos) {
            rows.add(range(cluster, "10. jobs of >= 256 GPUs' share of GPU time (over 96 %)", 96, 100,
                    100 * timeFraction(db, "gpu_num >= 256", "is_gpu")));
        }
        rows.add(approx(cluster, "11. Pretrain share of GPU jobs", seren ? 0.9 : 3.2,
                100 * fraction(db, "type = 'Pretrain'", "is_gpu"), "%", 0.2));
        rows.add(approx(cluster, "11. Pretrain share of GPU time", seren ? 69.5 : 94.0,
                100 * timeFraction(db, "type = 'Pretrain'", "is_gpu"), "%", 0.03));
        rows.add(range(cluster, "12. Pretrain jobs lasting over a day (under 5 %)", 0, 5,
                100 * fraction(db, "duration_s > 86400", "is_gpu AND type = 'Pretrain'")));
        double evalP90 = TraceStatistics.quantile(db, "wait_s", 0.9, "is_gpu AND type = 'Eval'");
        double preP90 = TraceStatistics.quantile(db, "wait_s", 0.9, "is_gpu AND type = 'Pretrain'");
        rows.add(new ReproductionRow(cluster, "13. Eval queues longest: p90 queue Eval / Pretrain (> 1)", Double.NaN,
                evalP90 / preP90, "x", "> 1", Double.isNaN(evalP90 / preP90) ? Agreement.NOT_AVAILABLE
                : evalP90 > preP90 ? Agreement.AGREE : Agreement.DISAGREE));
        return rows;
    }

    private static double fraction(TraceDatabase db, String condition, String within) throws SQLException {
        ResultTable t = db.query("SELECT CAST(count(*) FILTER (WHERE " + condition + ") AS DOUBLE) / "
                + "nullif(count(*), 0) FROM jobs WHERE " + within, 1);
        return t.number(0, 0);
    }

    private static double timeFraction(TraceDatabase db, String condition, String within) throws SQLException {
        ResultTable t = db.query("SELECT sum(gpu_seconds) FILTER (WHERE " + condition + ") / "
                + "nullif(sum(gpu_seconds), 0) FROM jobs WHERE " + within, 1);
        double v = t.number(0, 0);
        return Double.isNaN(v) ? 0 : v;
    }

    private static ReproductionRow approx(String cluster, String claim, double paper, double value, String unit,
                                          double relTol) {
        Agreement a = Double.isNaN(value) ? Agreement.NOT_AVAILABLE : verdict(relative(value, paper), relTol);
        return new ReproductionRow(cluster, claim, paper, value, unit,
                "±" + trim(Math.round(relTol * 1000) / 10.0) + " % relative", a);
    }

    /** Agree inside [lo, hi]; partial within 2 points outside it. */
    private static ReproductionRow range(String cluster, String claim, double lo, double hi, double value) {
        Agreement a;
        if (Double.isNaN(value)) {
            a = Agreement.NOT_AVAILABLE;
        } else if (value >= lo && value <= hi) {
            a = Agreement.AGREE;
        } else {
            double off = value < lo ? lo - value : value - hi;
            a = off <= 2 ? Agreement.PARTIAL : Agreement.DISAGREE;
        }
        return new ReproductionRow(cluster, claim, 0.5 * (lo + hi), value, "%",
                String.format(java.util.Locale.ROOT, "in [%s, %s]", trim(lo), trim(hi)), a);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
