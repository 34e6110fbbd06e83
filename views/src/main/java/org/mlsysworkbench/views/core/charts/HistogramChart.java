package org.mlsysworkbench.views.core.charts;

import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;

/**
 * Histograms of one or more samples over shared bins, drawn semi-transparent so overlaps stay visible.
 * CSV export lists every raw value with its series, not just the bin counts.
 */
public final class HistogramChart extends WorkbenchChart {

    private final Map<String, double[]> samples = new LinkedHashMap<>();
    private final XYBarRenderer renderer = new XYBarRenderer();
    private int bins;

    HistogramChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode, int bins) {
        super(name, chart, colors, darkMode);
        this.bins = bins;
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        ((XYPlot) chart.getPlot()).setRenderer(renderer);
        setDark(isDark());
    }

    /** Adds or replaces the sample of {@code seriesName}. */
    public void setSample(String seriesName, double[] values) {
        samples.put(seriesName, values.clone());
        rebuild();
    }

    public void setBins(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        this.bins = bins;
        rebuild();
    }

    public int bins() {
        return bins;
    }

    private void rebuild() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] s : samples.values()) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            max = min + 1;
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.FREQUENCY);
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            if (e.getValue().length > 0) {
                data.addSeries(e.getKey(), e.getValue(), bins, min, max);
            }
        }
        ((XYPlot) chart().getPlot()).setDataset(data);
        recolour();
    }

    private void recolour() {
        XYPlot plot = (XYPlot) chart().getPlot();
        if (plot.getDataset() == null) {
            return;
        }
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            Color c = colors().color(plot.getDataset().getSeriesKey(i).toString(), isDark());
            renderer.setSeriesPaint(i, ChartPalette.withAlpha(c, samples.size() > 1 ? 170 : 230));
        }
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        recolour();
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("series,value\n");
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            String key = cell(e.getKey());
            for (double v : e.getValue()) {
                out.write(key + "," + v + "\n");
            }
        }
    }
}
