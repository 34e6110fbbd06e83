package org.mlsysworkbench.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsExperiment;
import org.mlsysworkbench.algorithms.backends.BackendsResult;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.app.BackendFactory;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;
import org.mlsysworkbench.app.Examples;
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

    private int failures;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (Bench b : Benches.all()) {
            check(out, "bench " + b.id() + ": default config round-trips", () -> roundTrip(b.definition()));
            for (String ex : b.definition().examples()) {
                check(out, "bench " + b.id() + ": example '" + ex + "' parses",
                        () -> b.definition().parseConfig(Examples.load(b, ex), ex));
            }
        }
        BackendsConfig tiny = new BackendsConfig(BackendsConfig.SCHEMA, 1, List.of(1000, 70_001), List.of(33, 64),
                List.of(1000, 70_001), 1);
        check(out, "kernels agree on cpu", () -> agree(Backend.cpu(), tiny));
        for (Backend b : BackendFactory.available()) {
            check(out, "kernels agree on " + b, () -> agree(b, tiny));
        }
        out.printf("selftest: %s%n", failures == 0 ? "all checks passed" : failures + " check(s) failed");
        return failures == 0 ? Main.OK : Main.FAILURE;
    }

    private static <C extends ExperimentConfig> void roundTrip(BenchDefinition<C, ?> def) {
        C back = def.parseConfig(Json.write(def.defaults()), def.id() + " defaults");
        if (!back.equals(def.defaults())) {
            throw new IllegalStateException("defaults changed in a JSON round trip");
        }
    }

    private static void agree(Backend backend, BackendsConfig config) {
        BackendsResult r = new BackendsExperiment().run(config, new RunContext(new java.util.SplittableRandom(1),
                (f, m) -> { }, new org.mlsysworkbench.algorithms.core.CancellationToken(),
                org.mlsysworkbench.algorithms.core.MetricsSink.NONE, backend, null));
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
            test.run();
            out.println("PASS " + what);
        } catch (RuntimeException e) {
            failures++;
            out.println("FAIL " + what + ": " + e.getMessage());
        }
    }
}
