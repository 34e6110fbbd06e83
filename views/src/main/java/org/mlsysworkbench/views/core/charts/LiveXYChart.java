package org.mlsysworkbench.views.core.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * Line / XY chart over append-only series (live metric curves, CDFs). Every raw point is kept in a
 * {@link SeriesBuffer}; the plot shows an LTTB-decimated view (at most {@link #DISPLAY_POINTS} per series
 * and layer) of the EMA-smoothed values, with the raw curve drawn faintly underneath while smoothing is on.
 * Appends may come from any thread; the screen refreshes at most 30 times a second on the FX thread.
 * SVG exports are decimated the same way; CSV exports hold every raw point and its smoothed value.
 */
public final class LiveXYChart extends WorkbenchChart {

    /** Points per series and layer drawn on screen and written to SVG. */
    public static final int DISPLAY_POINTS = 2000;
    private static final long MIN_REFRESH_NANOS = 1_000_000_000L / 30;
    private static final int RAW_ALPHA = 70;

    private final Map<String, SeriesBuffer> series = new LinkedHashMap<>();
    private final ArrayXYDataset smoothedData = new ArrayXYDataset();
    private final ArrayXYDataset rawData = new ArrayXYDataset();
    private final XYLineAndShapeRenderer smoothedRenderer = new XYLineAndShapeRenderer(true, false);
    private final XYLineAndShapeRenderer rawRenderer = new XYLineAndShapeRenderer(true, false);
    private final String xLabel;
    private final String yLabel;
    private volatile boolean dirty;
    private double smoothing;
    private boolean logX;
    private boolean logY;

    LiveXYChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode,
                String xLabel, String yLabel) {
        super(name, chart, colors, darkMode);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        XYPlot plot = plot();
        plot.setDataset(0, smoothedData);
        plot.setRenderer(0, smoothedRenderer);
        plot.setDataset(1, rawData);
        plot.setRenderer(1, rawRenderer);
        rawRenderer.setDefaultSeriesVisibleInLegend(false);
        // one path per series instead of one element per segment: keeps SVG exports small
        smoothedRenderer.setDrawSeriesLineAsPath(true);
        rawRenderer.setDrawSeriesLineAsPath(true);
        smoothedRenderer.setDefaultStroke(new BasicStroke(1.6f));
        smoothedRenderer.setAutoPopulateSeriesStroke(false);
        rawRenderer.setDefaultStroke(new BasicStroke(1.0f));
        rawRenderer.setAutoPopulateSeriesStroke(false);
        setDark(isDark());
    }

    private XYPlot plot() {
        return (XYPlot) chart().getPlot();
    }

    /** The buffer of series {@code name}, created on first use. */
    public SeriesBuffer series(String name) {
        synchronized (series) {
            return series.computeIfAbsent(name, n -> {
                dirty = true;
                return new SeriesBuffer(n, smoothing);
            });
        }
    }

    /** Names of the series, in creation order. */
    public List<String> seriesNames() {
        synchronized (series) {
            return List.copyOf(series.keySet());
        }
    }

    /** Appends one point to a series; any thread. */
    public void append(String seriesName, double x, double y) {
        series(seriesName).append(x, y);
        dirty = true;
    }

    /** Replaces a series with the empirical CDF of {@code values}: sorted x, y = (i + 1) / n. */
    public void setCdf(String seriesName, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] y = new double[sorted.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i + 1) / (double) y.length;
        }
        SeriesBuffer b = series(seriesName);
        b.clear();
        b.appendAll(sorted, y);
        dirty = true;
    }

    public void clear() {
        synchronized (series) {
            series.clear();
        }
        dirty = true;
    }

    public double smoothing() {
        return smoothing;
    }

    /** EMA weight in [0, 0.999] applied to every series' raw values (before decimation). */
    public void setSmoothing(double weight) {
        List<SeriesBuffer> all;
        synchronized (series) {
            all = new ArrayList<>(series.values());
        }
        for (SeriesBuffer b : all) {
            b.setSmoothingWeight(weight);
        }
        smoothing = weight;
        dirty = true;
    }

    public boolean isLogX() {
        return logX;
    }

    public boolean isLogY() {
        return logY;
    }

    /** Switches the x axis between linear and logarithmic (base 10). */
    public void setLogX(boolean log) {
        logX = log;
        plot().setDomainAxis(axis(xLabel, log));
        setDark(isDark());
    }

    /** Switches the y axis between linear and logarithmic (base 10). */
    public void setLogY(boolean log) {
        logY = log;
        plot().setRangeAxis(axis(yLabel, log));
        setDark(isDark());
    }

    private static ValueAxis axis(String label, boolean log) {
        if (log) {
            LogAxis a = new LogAxis(label);
            a.setSmallestValue(1e-12);
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    /** True when points were appended since the last {@link #refresh()}. */
    public boolean isDirty() {
        return dirty;
    }

    /** Rebuilds the plotted (decimated) data from the buffers; FX thread once shown. */
    public void refresh() {
        refresh(DISPLAY_POINTS);
    }

    private void refresh(int maxPoints) {
        dirty = false;
        List<SeriesBuffer> all;
        synchronized (series) {
            all = new ArrayList<>(series.values());
        }
        boolean smoothOn = smoothing > 0;
        List<String> keys = new ArrayList<>();
        List<double[]> sx = new ArrayList<>();
        List<double[]> sy = new ArrayList<>();
        List<double[]> rx = new ArrayList<>();
        List<double[]> ry = new ArrayList<>();
        for (SeriesBuffer b : all) {
            SeriesBuffer.Snapshot s = b.snapshot();
            keys.add(b.name());
            double[] shown = smoothOn ? s.smoothed() : s.y();
            int[] idx = Decimation.lttb(s.x(), shown, 0, s.size(), maxPoints);
            sx.add(pick(s.x(), idx));
            sy.add(pick(shown, idx));
            if (smoothOn) {
                int[] rawIdx = Decimation.minMax(s.y(), 0, s.size(), maxPoints / 2);
                rx.add(pick(s.x(), rawIdx));
                ry.add(pick(s.y(), rawIdx));
            }
        }
        smoothedData.set(keys, sx, sy);
        rawData.set(smoothOn ? keys : List.of(), rx, ry);
        recolour();
    }

    private static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private void recolour() {
        for (int i = 0; i < smoothedData.getSeriesCount(); i++) {
            Color c = colors().color(smoothedData.getSeriesKey(i).toString(), isDark());
            smoothedRenderer.setSeriesPaint(i, c, false);
            rawRenderer.setSeriesPaint(i, ChartPalette.withAlpha(c, RAW_ALPHA), false);
        }
        plot().datasetChanged(new org.jfree.data.general.DatasetChangeEvent(this, smoothedData));
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        recolour();
    }

    @Override
    protected void onViewerCreated(ChartViewer viewer) {
        AnimationTimer timer = new AnimationTimer() {
            private long lastNanos;

            @Override
            public void handle(long now) {
                if (dirty && now - lastNanos >= MIN_REFRESH_NANOS) {
                    lastNanos = now;
                    refresh();
                }
            }
        };
        viewer.sceneProperty().addListener((obs, was, scene) -> {
            if (scene != null) {
                timer.start();
            } else {
                timer.stop();
            }
        });
        refresh();
    }

    @Override
    protected void beforeExport() {
        refresh(DISPLAY_POINTS);
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("series,x,y,y_smoothed\n");
        List<SeriesBuffer> all;
        synchronized (series) {
            all = new ArrayList<>(series.values());
        }
        StringBuilder line = new StringBuilder(64);
        for (SeriesBuffer b : all) {
            SeriesBuffer.Snapshot s = b.snapshot();
            String key = cell(b.name());
            for (int i = 0; i < s.size(); i++) {
                line.setLength(0);
                line.append(key).append(',').append(s.x()[i]).append(',').append(s.y()[i]).append(',')
                        .append(s.smoothed()[i]).append('\n');
                out.append(line);
            }
        }
    }
}
