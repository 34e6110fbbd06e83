package org.mlsysworkbench.algorithms.core;

/**
 * Streaming named series of numbers. A run records {@code (series, step, value)} triples in the order
 * they are produced; {@link CsvMetricsSink} writes them to {@code metrics.csv}, the GUI charts them live.
 * Series names are {@code lower_snake_case} with the unit as suffix ({@code loss}, {@code test_acc},
 * {@code epoch_ms}). Wall-clock measurements must end in a unit listed in {@link MeasurementNames}
 * ({@code _ms}, {@code _gbps}, ...): they go to {@code timings.csv}, keeping {@code metrics.csv} reproducible.
 * Implementations are thread-safe.
 */
public interface MetricsSink {

    /** Drops everything. */
    MetricsSink NONE = (series, step, value) -> { };

    void record(String series, long step, double value);

    /** Records a step-less value (a summary number); step 0. */
    default void summary(String series, double value) {
        record(series, 0, value);
    }

    /** A sink that forwards every record to both. */
    static MetricsSink both(MetricsSink a, MetricsSink b) {
        return (series, step, value) -> {
            a.record(series, step, value);
            b.record(series, step, value);
        };
    }
}
