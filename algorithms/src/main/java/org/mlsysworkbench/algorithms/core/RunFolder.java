package org.mlsysworkbench.algorithms.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs an experiment into a folder: writes {@code config.json} and {@code env.json} first, streams
 * {@code metrics.csv} (reproducible values) and {@code timings.csv} (wall-clock measurements, see
 * {@link MeasurementNames}) while it runs, and leaves the experiment's own artifacts beside them.
 * Used by the CLI and by the GUI's run service, so both produce the same files.
 */
public final class RunFolder {

    /** The three files every run folder holds. */
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String ENV = "env.json";
    /** Wall-clock measurements ({@link MeasurementNames}); not reproducible, so kept out of metrics.csv. */
    public static final String TIMINGS = "timings.csv";

    private RunFolder() {
    }

    /** What a finished run left behind. */
    public record Outcome<R>(Path dir, R result, EnvInfo env) {
    }

    /**
     * Runs {@code bench} with {@code config} on {@code backend}, into {@code dir} (created if needed).
     *
     * @param extraMetrics also receives every metric (the GUI's live charts); may be {@link MetricsSink#NONE}
     */
    public static <C extends ExperimentConfig, R> Outcome<R> run(BenchDefinition<C, R> bench, C config, Path dir,
                                                                Backend backend, ProgressListener progress,
                                                                CancellationToken cancel, MetricsSink extraMetrics)
            throws IOException {
        config.validate();
        Files.createDirectories(dir);
        String configJson = Json.write(config);
        Files.writeString(dir.resolve(CONFIG), configJson);
        EnvInfo env = EnvInfo.capture(backend, bench.id(), configJson);
        Json.write(dir.resolve(ENV), env);
        try (CsvMetricsSink csv = new CsvMetricsSink(dir.resolve(METRICS));
             CsvMetricsSink timings = new CsvMetricsSink(dir.resolve(TIMINGS))) {
            MetricsSink files = (series, step, value) ->
                    (MeasurementNames.isMeasurement(series) ? timings : csv).record(series, step, value);
            RunContext ctx = new RunContext(new java.util.SplittableRandom(config.seed()), progress, cancel,
                    MetricsSink.both(files, extraMetrics), backend, dir);
            R result = bench.experiment().run(config, ctx);
            progress.progress(1.0, "done");
            return new Outcome<>(dir, result, env);
        }
    }
}
