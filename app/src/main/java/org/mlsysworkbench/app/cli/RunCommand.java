package org.mlsysworkbench.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;
import org.mlsysworkbench.app.Examples;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run <bench> [--config F.json | --example NAME] --out DIR}: one experiment into a run folder. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one bench headless and write config.json, metrics.csv, timings.csv, env.json and "
                + "its artifacts into the output folder.")
final class RunCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BENCH", description = "Bench id (see 'list').")
    String benchId;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "Experiment config (JSON).")
        Path config;

        @Option(names = "--example", paramLabel = "NAME", description = "A shipped example (see 'list').")
        String example;
    }

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Run folder to write.")
    Path out;

    @Option(names = "--headless", description = "Accepted for scripts copied from the GUI; run never opens a window.")
    boolean headless;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        Bench bench = Benches.byId(benchId).orElseThrow(() -> new ConfigException("BENCH",
                "unknown bench '" + benchId + "'; known: " + Benches.all().stream().map(Bench::id).toList()));
        return run(bench.definition());
    }

    private <C extends ExperimentConfig, R> int run(BenchDefinition<C, R> def) throws Exception {
        C config;
        if (source != null && source.config != null) {
            if (!Files.isRegularFile(source.config)) {
                throw new ConfigException("--config", "file not found: " + source.config);
            }
            config = Json.readConfig(source.config, def.configType());
        } else {
            String name = source != null && source.example != null ? source.example
                    : def.examples().isEmpty() ? null : def.examples().get(0);
            config = name == null ? def.defaults()
                    : def.parseConfig(Examples.load(Benches.byId(def.id()).orElseThrow(), name),
                    "example " + def.id() + "/" + name);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException("--out", "not a folder: " + out);
        }
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        ConsoleProgress progress = new ConsoleProgress(err, quiet);
        CancellationToken cancel = new CancellationToken();
        Thread hook = new Thread(cancel::cancel, "cancel-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Backend backend = backendOptions.open()) {
            long t0 = System.nanoTime();
            RunFolder.run(def, config, out, backend, progress, cancel, MetricsSink.NONE);
            progress.finish();
            stdout.printf("%s: finished in %.1f s on %s; results in %s%n", def.id(),
                    (System.nanoTime() - t0) / 1e9, backend, out.toAbsolutePath());
            return Main.OK;
        } catch (CancelledException e) {
            progress.finish();
            err.println("mlsys-workbench: " + def.id() + " cancelled");
            return Main.FAILURE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook has run
            }
        }
    }
}
