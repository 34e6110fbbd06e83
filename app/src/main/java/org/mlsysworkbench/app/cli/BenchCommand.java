package org.mlsysworkbench.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.EnvInfo;
import org.mlsysworkbench.app.Benches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bench <suite>}: benchmarks that print ratios measured in one run; never part of the tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark suite ('all' runs every suite) and print its measurements.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SUITE", description = "Suite id (see 'list'), or 'all'.")
    String suiteId;

    @Option(names = "--quick", description = "Smaller sizes: a smoke run in seconds.")
    boolean quick;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the rows as CSV with a provenance header.")
    Path csv;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        List<BenchmarkSuite> suites = new ArrayList<>();
        for (BenchmarkSuite s : Benches.suites()) {
            if (s.id().equals(suiteId) || "all".equals(suiteId)) {
                suites.add(s);
            }
        }
        if (suites.isEmpty()) {
            throw new ConfigException("SUITE", "unknown suite '" + suiteId + "'; known: "
                    + Benches.suites().stream().map(BenchmarkSuite::id).toList() + " or all");
        }
        var out = spec.commandLine().getOut();
        try (Backend backend = backendOptions.open()) {
            out.printf("# backend %s%s%n", backend, backend.functionalOnly()
                    ? " (functional-only: CPU Vulkan driver, timings are not GPU speed)" : "");
            out.printf("%-10s %-44s %-16s %14s %-8s %s%n", "suite", "case", "metric", "value", "unit", "note");
            BenchmarkReport report = new BenchmarkReport(r -> out.printf(Locale.ROOT, "%-10s %-44s %-16s %14.4f %-8s %s%n",
                    r.suite(), r.caseName(), r.metric(), r.value(), r.unit(), r.note()));
            CancellationToken cancel = new CancellationToken();
            for (BenchmarkSuite s : suites) {
                s.run(report, backend, quick, cancel);
            }
            if (csv != null) {
                report.writeCsv(csv, EnvInfo.capture(backend, "bench " + suiteId, ""));
                out.println("# rows written to " + csv.toAbsolutePath());
            }
        }
        return Main.OK;
    }
}
