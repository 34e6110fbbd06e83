package org.mlsysworkbench.algorithms.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One row of {@code cluster_summary.csv}: a cluster's job counts, GPU-job run and queue times, GPUs per
 * job and final-state shares (see {@link SummaryColumn} for units). Missing values are NaN. Immutable.
 *
 * @param id     cluster name ({@code Seren}, {@code Kalos}, {@code Philly}, {@code Helios}, {@code PAI})
 * @param values one value per {@link SummaryColumn}, in enum order
 */
public record ClusterSummary(String id, double[] values) {

    /** The bundled copy of AcmeTrace's {@code data/cluster_summary.csv} (byte-identical, CC BY 4.0). */
    public static final String RESOURCE = "cluster_summary.csv";

    public ClusterSummary {
        if (values.length != SummaryColumn.values().length) {
            throw new IllegalArgumentException("expected " + SummaryColumn.values().length + " values");
        }
        values = values.clone();
    }

    /** A summary with every value NaN, to be filled through {@link #with}. */
    public static ClusterSummary empty(String id) {
        double[] v = new double[SummaryColumn.values().length];
        Arrays.fill(v, Double.NaN);
        return new ClusterSummary(id, v);
    }

    public double get(SummaryColumn c) {
        return values[c.ordinal()];
    }

    /** A copy with one value replaced. */
    public ClusterSummary with(SummaryColumn c, double value) {
        double[] v = values.clone();
        v[c.ordinal()] = value;
        return new ClusterSummary(id, v);
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Column name to value, in file order (for tables and JSON). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (SummaryColumn c : SummaryColumn.values()) {
            m.put(c.csvName(), get(c));
        }
        return m;
    }

    /** The published rows bundled with the workbench, keyed by cluster id in file order. */
    public static Map<String, ClusterSummary> published() {
        try (InputStream in = ClusterSummary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TraceFormatException e) {
            throw new IllegalStateException("bundled " + RESOURCE + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** Parses a file of {@code cluster_summary.csv}'s layout (any column order, {@code id} first or not). */
    public static Map<String, ClusterSummary> read(InputStream in, String source)
            throws IOException, TraceFormatException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null) {
            throw new TraceFormatException(source, 1, "header", "empty file; expected a header line");
        }
        String[] names = header.split(",", -1);
        int idCol = Arrays.asList(names).indexOf("id");
        if (idCol < 0) {
            throw new TraceFormatException(source, 1, "id", "missing column; expected an 'id' column");
        }
        EnumMap<SummaryColumn, Integer> cols = new EnumMap<>(SummaryColumn.class);
        for (SummaryColumn c : SummaryColumn.values()) {
            int i = Arrays.asList(names).indexOf(c.csvName());
            if (i < 0) {
                throw new TraceFormatException(source, 1, c.csvName(), "missing column");
            }
            cols.put(c, i);
        }
        Map<String, ClusterSummary> out = new LinkedHashMap<>();
        String line;
        int lineNo = 1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != names.length) {
                throw new TraceFormatException(source, lineNo, "row",
                        "expected " + names.length + " fields, found " + f.length);
            }
            double[] v = new double[SummaryColumn.values().length];
            for (SummaryColumn c : SummaryColumn.values()) {
                String s = f[cols.get(c)].trim();
                try {
                    v[c.ordinal()] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new TraceFormatException(source, lineNo, c.csvName(), "expected a number, found '" + s + "'");
                }
            }
            out.put(f[idCol], new ClusterSummary(f[idCol], v));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSummary s && s.id.equals(id) && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(id);
        for (SummaryColumn c : SummaryColumn.values()) {
            sb.append(String.format(Locale.ROOT, " %s=%.4g", c.csvName(), get(c)));
        }
        return sb.toString();
    }
}
