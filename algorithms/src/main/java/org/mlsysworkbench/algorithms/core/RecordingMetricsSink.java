package org.mlsysworkbench.algorithms.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps every record in memory, grouped by series in first-seen order. Thread-safe. */
public final class RecordingMetricsSink implements MetricsSink {

    /** One recorded point. */
    public record Point(long step, double value) {
    }

    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    @Override
    public synchronized void record(String name, long step, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(step, value));
    }

    /** The points of one series (a copy), empty when never recorded. */
    public synchronized List<Point> series(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /** The last value of a series, or NaN. */
    public synchronized double last(String name) {
        List<Point> s = series.get(name);
        return s == null || s.isEmpty() ? Double.NaN : s.get(s.size() - 1).value();
    }

    public synchronized List<String> names() {
        return List.copyOf(series.keySet());
    }
}
