package org.mlsysworkbench.algorithms.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Streams metrics to {@code metrics.csv}: header {@code series,step,value}, one row per record, in
 * record order. Values are written with {@link Double#toString} (shortest round-trip form), so the
 * same run gives the same bytes. Thread-safe; close it to flush.
 */
public final class CsvMetricsSink implements MetricsSink, AutoCloseable {

    private final BufferedWriter out;

    public CsvMetricsSink(Path file) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("series,step,value\n");
    }

    @Override
    public synchronized void record(String series, long step, double value) {
        try {
            out.write(series);
            out.write(',');
            out.write(Long.toString(step));
            out.write(',');
            out.write(format(value));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Double.toString(v);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
