package org.mlsysworkbench.algorithms.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CDF curves recovered from the AcmeTrace release figures ({@code derived/figure_cdf_curves.csv}:
 * {@code figure,panel,series,x,cdf_percent}). Keeps only the first occurrence of each
 * (figure, panel, series, x): the file has 16 legend-marker rows after the real curves. Immutable.
 */
public final class FigureCurves {

    /** The bundled copy (CC BY 4.0, adapted material). */
    public static final String RESOURCE = "figure_cdf_curves.csv";

    private final Map<String, CdfCurve> curves;

    private FigureCurves(Map<String, CdfCurve> curves) {
        this.curves = curves;
    }

    /** The curves bundled with the workbench. */
    public static FigureCurves bundled() {
        return Holder.BUNDLED;
    }

    private static final class Holder {
        static final FigureCurves BUNDLED = load();

        private static FigureCurves load() {
            try (InputStream in = FigureCurves.class.getResourceAsStream(RESOURCE)) {
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

    /** Parses a file of the figure-curve layout. */
    public static FigureCurves read(InputStream in, String source) throws IOException, TraceFormatException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null || !header.trim().equals("figure,panel,series,x,cdf_percent")) {
            throw new TraceFormatException(source, 1, "header", "expected figure,panel,series,x,cdf_percent");
        }
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
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
            String key = key(f[0], f[1], f[2]);
            if (!seen.add(key + "|" + f[3])) {
                continue;
            }
            try {
                points.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4]) / 100.0});
            } catch (NumberFormatException e) {
                throw new TraceFormatException(source, lineNo, "x/cdf_percent", "expected numbers");
            }
        }
        Map<String, CdfCurve> curves = new LinkedHashMap<>();
        for (var e : points.entrySet()) {
            double[] x = new double[e.getValue().size()];
            double[] p = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = e.getValue().get(i)[0];
                p[i] = e.getValue().get(i)[1];
            }
            curves.put(e.getKey(), new CdfCurve(x, p));
        }
        return new FigureCurves(Map.copyOf(curves));
    }

    private static String key(String figure, String panel, String series) {
        return figure + "/" + panel + "/" + series;
    }

    /** A curve, e.g. {@code get("cdf_job_duration_queue", "duration", "Seren:Evaluation")}. */
    public Optional<CdfCurve> find(String figure, String panel, String series) {
        return Optional.ofNullable(curves.get(key(figure, panel, series)));
    }

    /** A curve that must exist. */
    public CdfCurve get(String figure, String panel, String series) {
        return find(figure, panel, series).orElseThrow(() ->
                new IllegalArgumentException("no figure curve " + key(figure, panel, series)));
    }

    /** Number of curves (43 in the release file). */
    public int size() {
        return curves.size();
    }
}
