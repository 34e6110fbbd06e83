package org.mlsysworkbench.algorithms.trace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * The statistics engine: SQL over the {@code jobs} table of a {@link TraceDatabase}. It recomputes the
 * columns of {@code cluster_summary.csv} the way the AcmeTrace notebook does (run time = the file's
 * {@code duration} column, GPU time = {@code gpu_num × duration}, means and medians over GPU jobs, medians
 * interpolated between the two middle values) and the dashboard's CDFs and shares. Stateless.
 */
public final class TraceStatistics {

    /** The log2 bin edges of duration CDFs: 2^0 .. 2^22 seconds (48 days). */
    public static final int MAX_LOG2_SECONDS = 22;

    private TraceStatistics() {
    }

    /** The cluster-summary row of the loaded jobs, named {@code id}. */
    public static ClusterSummary summary(TraceDatabase db, String id) throws SQLException {
        String gpu = "is_gpu";
        String cpu = "is_cpu";
        String sql = "SELECT count(*), count(*) FILTER (WHERE " + cpu + "), count(*) FILTER (WHERE " + gpu + "), "
                + "avg(duration_s) FILTER (WHERE " + gpu + "), avg(wait_s) FILTER (WHERE " + gpu + "), "
                + "avg(gpu_num) FILTER (WHERE " + gpu + "), median(duration_s) FILTER (WHERE " + gpu + "), "
                + "median(wait_s) FILTER (WHERE " + gpu + "), median(gpu_num) FILTER (WHERE " + gpu + "), "
                + "max(duration_s) FILTER (WHERE " + gpu + "), max(gpu_num) FILTER (WHERE " + gpu + "), "
                + rate(gpu, "complete") + ", " + rate(gpu, "cancel") + ", " + rate(gpu, "fail") + ", "
                + gpuTime("complete") + ", " + gpuTime("cancel") + ", " + gpuTime("fail") + ", "
                + "avg(duration_s) FILTER (WHERE " + cpu + "), avg(wait_s) FILTER (WHERE " + cpu + "), "
                + "median(duration_s) FILTER (WHERE " + cpu + "), median(wait_s) FILTER (WHERE " + cpu + "), "
                + rate(cpu, "complete") + ", " + rate(cpu, "cancel") + ", " + rate(cpu, "fail") + " FROM jobs";
        double[] v = new double[SummaryColumn.values().length];
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            int col = 1;
            for (SummaryColumn c : SummaryColumn.values()) {
                if (c == SummaryColumn.COMPLETE_RATE_GPU_TIME) {
                    double total = v[SummaryColumn.COMPLETE_GPU_TIME.ordinal()]
                            + v[SummaryColumn.CANCEL_GPU_TIME.ordinal()] + v[SummaryColumn.FAIL_GPU_TIME.ordinal()];
                    v[c.ordinal()] = v[SummaryColumn.COMPLETE_GPU_TIME.ordinal()] / total;
                    v[c.ordinal() + 1] = v[SummaryColumn.CANCEL_GPU_TIME.ordinal()] / total;
                    v[c.ordinal() + 2] = v[SummaryColumn.FAIL_GPU_TIME.ordinal()] / total;
                    continue;
                }
                if (c == SummaryColumn.CANCEL_RATE_GPU_TIME || c == SummaryColumn.FAIL_RATE_GPU_TIME) {
                    continue;
                }
                v[c.ordinal()] = TraceDatabase.dbl(r, col++);
            }
        }
        return new ClusterSummary(id, v);
    }

    private static String rate(String filter, String group) {
        return "CAST(count(*) FILTER (WHERE " + filter + " AND state_group = '" + group + "') AS DOUBLE) "
                + "/ nullif(count(*) FILTER (WHERE " + filter + "), 0)";
    }

    private static String gpuTime(String group) {
        return "coalesce(sum(gpu_seconds) FILTER (WHERE is_gpu AND state_group = '" + group + "'), 0)";
    }

    /** Every dashboard statistic of the loaded trace (about a dozen grouped scans). */
    public static TraceDashboard dashboard(TraceDatabase db, String id, CancellationToken cancel)
            throws SQLException {
        boolean incl = db.current() != null && db.current().durationIncludesQueueing();
        ClusterSummary summary = summary(db, id);
        cancel.throwIfCancelled();
        List<Cdf> durations = new ArrayList<>(log2Cdfs(db, "duration_bin", "CASE WHEN is_gpu THEN 'GPU' ELSE 'CPU' END",
                "is_gpu OR is_cpu"));
        durations.addAll(log2Cdfs(db, "duration_bin", "type", "is_gpu"));
        List<Cdf> runtimes = log2Cdfs(db, "runtime_bin", "CASE WHEN is_gpu THEN 'GPU' ELSE 'CPU' END",
                "is_gpu OR is_cpu");
        cancel.throwIfCancelled();
        List<Cdf> queues = new ArrayList<>(log2Cdfs(db, "wait_bin", "CASE WHEN is_gpu THEN 'GPU' ELSE 'CPU' END",
                "is_gpu OR is_cpu"));
        queues.addAll(log2Cdfs(db, "wait_bin", "type", "is_gpu"));
        cancel.throwIfCancelled();
        Cdf[] demand = gpuDemand(db);
        List<Share> gpuStates = shares(db, "state", "is_gpu", "count(*) DESC");
        List<Share> cpuStates = shares(db, "state", "is_cpu", "count(*) DESC");
        List<Share> types = shares(db, "type", "is_gpu", "count(*) DESC");
        cancel.throwIfCancelled();
        List<Share> bySize = failureBySize(db);
        List<Share> users = shares(db, "\"user\"", "is_gpu", "sum(gpu_seconds) DESC");
        Cdf userCdf = userCdf(users);
        List<Share> top = users.subList(0, Math.min(20, users.size()));
        cancel.throwIfCancelled();
        double[][] daily = daily(db);
        double[] hours = hourOfDay(db);
        return new TraceDashboard(summary, durations, runtimes, queues, demand[0], demand[1], gpuStates, cpuStates,
                types, bySize, top, userCdf, daily[0], daily[1], hours, incl);
    }

    /** CDFs over a precomputed log2 bin column (value ≤ 2^k; values of at most 1 s in the first bin), grouped. */
    static List<Cdf> log2Cdfs(TraceDatabase db, String binColumn, String groupExpr, String where) throws SQLException {
        String sql = "SELECT " + groupExpr + " AS g, " + binColumn + " AS b, count(*) FROM jobs WHERE (" + where
                + ") AND " + binColumn + " IS NOT NULL GROUP BY g, b ORDER BY g, b";
        Map<String, long[]> hist = new TreeMap<>();
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                String g = r.getString(1);
                hist.computeIfAbsent(g == null ? "?" : g, k -> new long[MAX_LOG2_SECONDS + 1])[r.getInt(2)] +=
                        r.getLong(3);
            }
        }
        List<Cdf> out = new ArrayList<>();
        double[] x = new double[MAX_LOG2_SECONDS + 1];
        for (int k = 0; k <= MAX_LOG2_SECONDS; k++) {
            x[k] = Math.pow(2, k);
        }
        List<String> order = new ArrayList<>(hist.keySet());
        order.sort((a, b) -> a.equals("GPU") ? -1 : b.equals("GPU") ? 1 : a.compareTo(b));
        for (String g : order) {
            long[] h = hist.get(g);
            long total = 0;
            for (long c : h) {
                total += c;
            }
            double[] cdf = new double[h.length];
            long run = 0;
            for (int k = 0; k < h.length; k++) {
                run += h[k];
                cdf[k] = total == 0 ? 0 : (double) run / total;
            }
            out.add(new Cdf(g, x, cdf, total));
        }
        return out;
    }

    private static Cdf[] gpuDemand(TraceDatabase db) throws SQLException {
        String sql = "SELECT gpu_num, count(*), coalesce(sum(gpu_seconds), 0) FROM jobs WHERE is_gpu "
                + "GROUP BY gpu_num ORDER BY gpu_num";
        List<double[]> rows = new ArrayList<>();
        double jobs = 0;
        double time = 0;
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                double[] row = {r.getDouble(1), r.getLong(2), r.getDouble(3)};
                rows.add(row);
                jobs += row[1];
                time += row[2];
            }
        }
        double[] x = new double[rows.size()];
        double[] byJobs = new double[rows.size()];
        double[] byTime = new double[rows.size()];
        double cj = 0;
        double ct = 0;
        for (int i = 0; i < rows.size(); i++) {
            x[i] = rows.get(i)[0];
            cj += rows.get(i)[1];
            ct += rows.get(i)[2];
            byJobs[i] = cj / jobs;
            byTime[i] = time > 0 ? ct / time : 0;
        }
        return new Cdf[] {new Cdf("jobs", x, byJobs, jobs), new Cdf("gpu_time", x, byTime, time)};
    }

    private static List<Share> shares(TraceDatabase db, String groupExpr, String where, String orderBy)
            throws SQLException {
        String sql = "SELECT " + groupExpr + ", count(*), coalesce(sum(gpu_seconds), 0) FROM jobs WHERE "
                + where + " GROUP BY 1 ORDER BY " + orderBy + ", 1";
        List<Object[]> rows = new ArrayList<>();
        long jobs = 0;
        double time = 0;
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(new Object[] {String.valueOf(r.getString(1)), r.getLong(2), r.getDouble(3)});
                jobs += r.getLong(2);
                time += r.getDouble(3);
            }
        }
        List<Share> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            long n = (Long) row[1];
            double t = (Double) row[2];
            out.add(new Share((String) row[0], n, jobs == 0 ? 0 : (double) n / jobs, t, time > 0 ? t / time : 0));
        }
        return out;
    }

    private static List<Share> failureBySize(TraceDatabase db) throws SQLException {
        String bucket = "CASE WHEN gpu_num <= 1 THEN '1' WHEN gpu_num <= 8 THEN '2-8' WHEN gpu_num <= 64 THEN '9-64' "
                + "WHEN gpu_num <= 256 THEN '65-256' ELSE '>256' END";
        String sql = "SELECT " + bucket + " AS b, count(*), count(*) FILTER (WHERE state_group = 'fail'), "
                + "coalesce(sum(gpu_seconds) FILTER (WHERE state_group = 'fail'), 0), min(gpu_num) "
                + "FROM jobs WHERE is_gpu GROUP BY b ORDER BY min(gpu_num)";
        List<Share> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                long n = r.getLong(2);
                out.add(new Share(r.getString(1), n, n == 0 ? 0 : (double) r.getLong(3) / n, r.getDouble(4), 0));
            }
        }
        return out;
    }

    private static Cdf userCdf(List<Share> users) {
        int n = users.size();
        int points = Math.min(n, 200);
        double[] x = new double[points];
        double[] f = new double[points];
        double total = users.stream().mapToDouble(Share::gpuSeconds).sum();
        double run = 0;
        int next = 0;
        for (int i = 0; i < n && next < points; i++) {
            run += users.get(i).gpuSeconds();
            int target = (int) Math.ceil((double) (next + 1) * n / points) - 1;
            if (i == target) {
                x[next] = 100.0 * (i + 1) / n;
                f[next] = total > 0 ? run / total : 0;
                next++;
            }
        }
        return new Cdf("users", x, f, total);
    }

    private static double[][] daily(TraceDatabase db) throws SQLException {
        String sql = "WITH b AS (SELECT min(submit_s) AS t0 FROM jobs) SELECT CAST((submit_s - t0) // 86400 AS "
                + "INTEGER) AS d, count(*), coalesce(sum(gpu_seconds) FILTER (WHERE is_gpu), 0) / 3600.0 "
                + "FROM jobs, b GROUP BY d ORDER BY d";
        Map<Integer, double[]> days = new LinkedHashMap<>();
        int maxDay = 0;
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                int d = r.getInt(1);
                days.put(d, new double[] {r.getLong(2), r.getDouble(3)});
                maxDay = Math.max(maxDay, d);
            }
        }
        double[] jobs = new double[days.isEmpty() ? 0 : maxDay + 1];
        double[] hours = new double[jobs.length];
        days.forEach((d, v) -> {
            jobs[d] = v[0];
            hours[d] = v[1];
        });
        return new double[][] {jobs, hours};
    }

    private static double[] hourOfDay(TraceDatabase db) throws SQLException {
        double[] h = new double[24];
        String sql = "SELECT CAST((submit_s % 86400) // 3600 AS INTEGER), count(*) FROM jobs GROUP BY 1";
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                h[Math.floorMod(r.getInt(1), 24)] = r.getLong(2);
            }
        }
        return h;
    }

    /** The exact {@code p}-quantile (linear interpolation) of a numeric column over rows matching {@code where}. */
    public static double quantile(TraceDatabase db, String column, double p, String where) throws SQLException {
        String sql = "SELECT quantile_cont(" + column + ", " + p + ") FROM jobs WHERE " + where;
        try (Statement s = db.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return TraceDatabase.dbl(r, 1);
        }
    }
}
