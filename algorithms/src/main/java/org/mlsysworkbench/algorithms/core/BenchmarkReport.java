package org.mlsysworkbench.algorithms.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Rows measured by a {@link BenchmarkSuite}. Each row is a case (kernel, size, backend), a metric with
 * its unit, and a value. A listener sees rows as they arrive (the CLI prints them). Thread-safe.
 */
public final class BenchmarkReport {

    /** One measurement. Units go in {@code unit}: "ms", "GB/s", "GFLOP/s", "x" (a ratio), "%". */
    public record Row(String suite, String caseName, String metric, double value, String unit, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Consumer<Row> listener;

    public BenchmarkReport(Consumer<Row> listener) {
        this.listener = listener;
    }

    public synchronized void add(String suite, String caseName, String metric, double value, String unit,
                                 String note) {
        Row r = new Row(suite, caseName, metric, value, unit, note == null ? "" : note);
        rows.add(r);
        listener.accept(r);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Writes {@code suite,case,metric,value,unit,note}, preceded by {@code #} lines of provenance. */
    public synchronized void writeCsv(Path file, EnvInfo env) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# device: ").append(env.deviceName()).append(" (").append(env.deviceType()).append(")\n");
        sb.append("# driver: ").append(env.driver()).append(", vulkan ").append(env.vulkanApiVersion()).append('\n');
        sb.append("# app ").append(env.appVersion()).append(" commit ").append(env.gitCommit())
                .append(", jvm ").append(env.jvm()).append(", cores ").append(env.cores()).append('\n');
        if (env.functionalOnly()) {
            sb.append("# functional-only: a CPU Vulkan driver; these timings are not GPU speed\n");
        }
        sb.append("suite,case,metric,value,unit,note\n");
        for (Row r : rows) {
            sb.append(r.suite()).append(',').append(csv(r.caseName())).append(',').append(csv(r.metric())).append(',')
                    .append(String.format(Locale.ROOT, "%.6g", r.value())).append(',').append(r.unit()).append(',')
                    .append(csv(r.note())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
