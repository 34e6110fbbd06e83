package org.mlsysworkbench.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsExperiment;
import org.mlsysworkbench.algorithms.backends.BackendsResult;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.BuildInfo;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.app.BackendFactory;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;
import org.mlsysworkbench.app.Examples;
import org.mlsysworkbench.app.WorkbenchHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code selftest}: what an installed app checks about itself: every bench's configs and examples
 * parse, the reference kernels agree on every backend that opens. Exit 0 only when all pass.
 */
@Command(name = "selftest", aliases = "self-test", mixinStandardHelpOptions = true,
        description = "Check this installation: configs, examples, kernels on every backend.")
final class SelftestCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--headless", description = "Accepted for the packaged smoke test; selftest never opens a window.")
    boolean headless;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the report (default: selftest/report.txt in the workbench home).")
    Path report;

    private int failures;
    private final StringBuilder lines = new StringBuilder();

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (Bench b : Benches.all()) {
            check(out, "bench " + b.id() + ": default config round-trips", () -> roundTrip(b.definition()));
            for (String ex : b.definition().examples()) {
                check(out, "bench " + b.id() + ": example '" + ex + "' parses",
                        () -> b.definition().parseConfig(Examples.load(b, ex), ex));
            }
            if (b.definition().examples().contains(SMOKE)) {
                check(out, "bench " + b.id() + ": tiny run (example '" + SMOKE + "') writes its run folder",
                        () -> tinyRun(b));
            }
        }
        BackendsConfig tiny = new BackendsConfig(BackendsConfig.SCHEMA, 1, List.of(1000, 70_001), List.of(33, 64),
                List.of(1000, 70_001), 1);
        check(out, "kernels agree on cpu", () -> agree(Backend.cpu(), tiny));
        for (Backend b : BackendFactory.available()) {
            check(out, "kernels agree on " + b, () -> agree(b, tiny));
        }
        String verdict = "selftest: " + (failures == 0 ? "all checks passed" : failures + " check(s) failed");
        out.println(verdict);
        lines.append(verdict).append('\n');
        Path file = report != null ? report : WorkbenchHome.subdir("selftest").resolve("report.txt");
        try {
            Files.writeString(file, "MLSys Workbench " + BuildInfo.version() + " (" + BuildInfo.commit() + ") on "
                    + System.getProperty("os.name") + ", " + System.getProperty("java.runtime.version") + "\n"
                    + lines, StandardCharsets.UTF_8);
            out.println("report: " + file.toAbsolutePath());
        } catch (IOException e) {
            out.println("FAIL cannot write the report " + file + ": " + e.getMessage());
            return Main.FAILURE;
        }
        return failures == 0 ? Main.OK : Main.FAILURE;
    }

    /** The example every bench ships for this test: seconds, not minutes. */
    static final String SMOKE = "smoke";

    private static void tinyRun(Bench b) {
        tinyRun(b.definition(), b);
    }

    private static <C extends ExperimentConfig, R> void tinyRun(BenchDefinition<C, R> def, Bench b) {
        C config = def.parseConfig(Examples.load(b, SMOKE), SMOKE);
        Path dir = WorkbenchHome.subdir("selftest").resolve(def.id());
        try {
            RunFolder.run(def, config, dir, Backend.cpu(), (f, m) -> { }, new CancellationToken(), MetricsSink.NONE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        for (String f : new String[] {RunFolder.CONFIG, RunFolder.METRICS, RunFolder.ENV}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalStateException("run folder lacks " + f);
            }
        }
    }

    private static <C extends ExperimentConfig> void roundTrip(BenchDefinition<C, ?> def) {
        C back = def.parseConfig(Json.write(def.defaults()), def.id() + " defaults");
        if (!back.equals(def.defaults())) {
            throw new IllegalStateException("defaults changed in a JSON round trip");
        }
    }

    private static void agree(Backend backend, BackendsConfig config) {
        BackendsResult r = new BackendsExperiment().run(config, new RunContext(new java.util.SplittableRandom(1),
                (f, m) -> { }, new CancellationToken(), MetricsSink.NONE, backend, null));
        for (BackendsResult.Row row : r.rows()) {
            // fp32 GEMM over k <= 64 terms of |x| <= 1 and relative sum error: 1e-3 is generous for any backend
            if (!(row.maxError() <= 1e-3)) {
                throw new IllegalStateException(row.kernel() + " " + row.size() + " on " + row.backend()
                        + ": max error " + row.maxError());
            }
        }
    }

    private void check(java.io.PrintWriter out, String what, Runnable test) {
        try {
            long t0 = System.nanoTime();
            test.run();
            String line = String.format(java.util.Locale.ROOT, "PASS %s (%.2f s)", what, (System.nanoTime() - t0) / 1e9);
            out.println(line);
            lines.append(line).append('\n');
        } catch (RuntimeException e) {
            failures++;
            String line = "FAIL " + what + ": " + e.getMessage();
            out.println(line);
            lines.append(line).append('\n');
        }
    }
}
