package org.mlsysworkbench.algorithms.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release's utilisation CDFs (telemetry, not jobs): {@code derived/util_cdf_long.csv}, one series per
 * {@code source_pkl:metric}, each point the metric's value at a cumulative percentage. PAI's digitised
 * series is not monotone in the file; it is cleaned here by sorting on the value and taking the running
 * maximum of the percentage. Immutable.
 */
public final class UtilizationCurves {

    /** The bundled copy (CC BY 4.0, adapted material). */
    public static final String RESOURCE = "util_cdf_long.csv";

    /** GPU-utilisation series per cluster, as the release's figures use them. */
    public static final Map<String, String> GPU_UTIL = Map.of("Seren", "util_gpu_seren.pkl:GPU_UTIL",
            "Kalos", "util_gpu_kalos.pkl:GPU_UTIL_fig2", "Philly", "util_gpu_philly.pkl:GPU_UTIL",
            "PAI", "util_gpu_pai.pkl:GPU_UTIL");

    /**
     * One series.
     *
     * @param unit    the value's unit
     * @param cdf     cumulative fractions 0..1, non-decreasing
     * @param value   the metric at each fraction, non-decreasing
     */
    public record Series(String unit, double[] cdf, double[] value) {

        /** The smallest value whose cumulative fraction reaches p (as the data folder's statistics read it). */
        public double quantile(double p) {
            for (int i = 0; i < cdf.length; i++) {
                if (cdf[i] >= p - 1e-12) {
                    return value[i];
                }
            }
            return value[value.length - 1];
        }
    }

    private final Map<String, Series> series;

    private UtilizationCurves(Map<String, Series> series) {
        this.series = series;
    }

    /** The bundled curves. */
    public static UtilizationCurves bundled() {
        return Holder.BUNDLED;
    }

    private static final class Holder {
        static final UtilizationCurves BUNDLED = load();

        private static UtilizationCurves load() {
            try (InputStream in = UtilizationCurves.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return read(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TraceFormatException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** Parses the long layout {@code source_pkl,metric,unit,cdf_percent,value}. */
    public static UtilizationCurves read(InputStream in, String source) throws IOException, TraceFormatException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null || !header.trim().equals("source_pkl,metric,unit,cdf_percent,value")) {
            throw new TraceFormatException(source, 1, "header", "expected source_pkl,metric,unit,cdf_percent,value");
        }
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        String line;
        long lineNo = 1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 5) {
                throw new TraceFormatException(source, lineNo, "row", "expected 5 fields, found " + f.length);
            }
            String key = f[0] + ":" + f[1];
            units.put(key, f[2]);
            try {
                points.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new double[] {Double.parseDouble(f[3]) / 100.0, Double.parseDouble(f[4])});
            } catch (NumberFormatException e) {
                throw new TraceFormatException(source, lineNo, "cdf_percent/value", "expected numbers");
            }
        }
        Map<String, Series> out = new LinkedHashMap<>();
        for (var e : points.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[0], b[0]));
            double[] p = new double[pts.size()];
            double[] v = new double[pts.size()];
            double run = 0;
            for (int i = 0; i < p.length; i++) {
                run = Math.max(run, pts.get(i)[0]);
                p[i] = run;
                v[i] = pts.get(i)[1];
            }
            out.put(e.getKey(), new Series(units.get(e.getKey()), p, v));
        }
        return new UtilizationCurves(Map.copyOf(out));
    }

    /** A series by {@code source_pkl:metric}, or null. */
    public Series get(String key) {
        return series.get(key);
    }

    /** Number of series (28 in the release). */
    public int size() {
        return series.size();
    }
}
