package org.mlsysworkbench.algorithms.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * {@code bench trace}: check + load + every dashboard statistic of a generated 1M-job Seren trace (the
 * issue's target: at most 5 s on 2 cores), median of 5 runs, with rows/s and the load and statistics
 * parts. The trace is generated and written once, outside the timed part. {@code --quick}: 100K jobs, 3 runs.
 */
public final class TraceBenchmark implements BenchmarkSuite {

    @Override
    public String id() {
        return TraceBench.ID;
    }

    @Override
    public String description() {
        return "load + all dashboard statistics of a 1M-job AcmeTrace-schema trace (target <= 5 s on 2 cores)";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        int jobs = quick ? 100_000 : 1_000_000;
        int reps = quick ? 3 : 5;
        Path csv = null;
        try {
            csv = Files.createTempFile("trace-bench-", ".csv");
            TraceGenerator.generate(ClusterPreset.SEREN, jobs, new SplittableRandom(42), cancel).writeCsv(csv, cancel);
            double mb = Files.size(csv) / 1e6;
            double[] total = new double[reps];
            double[] load = new double[reps];
            double[] stats = new double[reps];
            double[] cpu = new double[reps];
            for (int r = 0; r < reps; r++) {
                try (TraceDatabase db = TraceDatabase.inMemory(0)) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    db.load(csv, AcmeTraceReader.OnError.STOP, cancel);
                    long t1 = System.nanoTime();
                    TraceStatistics.dashboard(db, "Seren", cancel);
                    long t2 = System.nanoTime();
                    load[r] = (t1 - t0) / 1e9;
                    stats[r] = (t2 - t1) / 1e9;
                    total[r] = (t2 - t0) / 1e9;
                    cpu[r] = (processCpuNanos() - c0) / 1e9;
                }
            }
            String cs = jobs / 1000 + "K jobs";
            String note = String.format(java.util.Locale.ROOT, "median of %d; %.0f MB CSV; %d cores; load average %.1f",
                    reps, mb, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            report.add(id(), cs, "load + dashboard", median(total), "s", note + "; target <= 5 s on 2 cores");
            report.add(id(), cs, "load (check + ingest)", median(load), "s", note);
            report.add(id(), cs, "dashboard statistics", median(stats), "s", note);
            report.add(id(), cs, "throughput", jobs / median(total), "rows/s", note);
            if (median(cpu) > 0) {
                report.add(id(), cs, "process CPU time (JVM and engine threads)", median(cpu), "CPU-s",
                        note + "; on an otherwise idle machine the wall time is at least this / cores");
            }
            report.add(id(), cs, "fastest load + dashboard", Arrays.stream(total).min().orElse(Double.NaN), "s", note);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException | TraceFormatException e) {
            throw new IllegalStateException("trace benchmark: " + e.getMessage(), e);
        } finally {
            if (csv != null) {
                try {
                    Files.deleteIfExists(csv);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** CPU time of the whole process (the engine's native threads included), or 0 when the JVM cannot tell. */
    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
