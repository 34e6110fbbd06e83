package org.mlsysworkbench.algorithms.backends;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RunContext;

/** {@code bench backends}: the Backends experiment at benchmark sizes, with the ratio to the CPU per case. */
public final class BackendsBenchmark implements BenchmarkSuite {

    private final Supplier<List<Backend>> available;

    public BackendsBenchmark(Supplier<List<Backend>> available) {
        this.available = available;
    }

    @Override
    public String id() {
        return BackendsBench.ID;
    }

    @Override
    public String description() {
        return "saxpy, GEMM, reduction, scan, compaction, gather/scatter, top-k and histogram on every backend,"
                + " with the ratio to plain Java";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        BackendsConfig config = quick ? BackendsConfig.defaults()
                : new BackendsConfig(BackendsConfig.SCHEMA, 42, List.of(1 << 20, 1 << 24), List.of(256, 512, 1024),
                List.of(1 << 20, 1 << 24), 7);
        RunContext ctx = new RunContext(new SplittableRandom(config.seed()), ProgressListener.NONE, cancel,
                MetricsSink.NONE, backend, null);
        BackendsResult result = new BackendsExperiment(available, true).run(config, ctx);
        for (BackendsResult.Row r : result.rows()) {
            double cpu = result.rows().stream()
                    .filter(c -> c.backend().equals("cpu") && c.kernel().equals(r.kernel()) && c.size() == r.size())
                    .mapToDouble(BackendsResult.Row::throughput).findFirst().orElse(Double.NaN);
            String note = (r.functionalOnly() ? "functional-only (CPU Vulkan driver); " : "")
                    + String.format(java.util.Locale.ROOT, "max error %.2e", r.maxError());
            report.add(id(), r.kernel() + " " + r.size() + " " + r.backend(), "throughput", r.throughput(), r.unit(),
                    note);
            if (!"cpu".equals(r.backend())) {
                report.add(id(), r.kernel() + " " + r.size() + " " + r.backend() + "/cpu", "ratio",
                        r.throughput() / cpu, "x", "same run, same inputs");
            }
        }
    }
}
