package org.mlsysworkbench.views.core.charts;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * A Gantt timeline: one row per lane (worker), bars from start to end on a shared time axis, one colour per
 * bar kind (the kinds take palette slots in the order they are declared, so "compute" and "communication"
 * keep their colours in every timeline). Each lane has sub-rows, so overlapping kinds (computation beside a
 * transfer) stay visible. CSV export lists every (kind, lane, start, end, label).
 */
public final class GanttChart extends WorkbenchChart {

    private final XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    private final XYPlot plot;
    private final List<String> kinds = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();     // kind, lane, start, end
    private final List<String> labels = new ArrayList<>();
    private String[] lanes = new String[0];

    GanttChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode) {
        super(name, chart, colors, darkMode);
        plot = (XYPlot) chart.getPlot();
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(data);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        plot.setRenderer(renderer);
        plot.setDomainGridlinesVisible(false);
        setDark(isDark());
    }

    /** Declares the bar kinds (legend order and colours) and the lane names (top to bottom). */
    public void setup(List<String> kindNames, List<String> laneNames) {
        clear();
        kinds.clear();
        kinds.addAll(kindNames);
        data.removeAllSeries();
        for (String k : kinds) {
            data.addSeries(new XYIntervalSeries(k));
        }
        lanes = laneNames.toArray(new String[0]);
        SymbolAxis axis = new SymbolAxis(plot.getDomainAxis().getLabel(), lanes);
        axis.setInverted(true);
        axis.setGridBandsVisible(false);
        plot.setDomainAxis(axis);
        setDark(isDark());
    }

    /**
     * Adds a bar on {@code lane} from {@code start} to {@code end}. {@code subRow} in [0, subRows) places it in
     * a band of the lane, so kinds that overlap in time do not hide each other.
     */
    public void add(String kind, int lane, int subRow, int subRows, double start, double end, String label) {
        int k = kinds.indexOf(kind);
        if (k < 0) {
            throw new IllegalArgumentException("unknown bar kind " + kind + "; declared: " + kinds);
        }
        double band = 0.8 / subRows;
        double lo = lane - 0.4 + subRow * band;
        data.getSeries(k).add(lo + band / 2, lo + 0.04 * band, lo + 0.96 * band, start, start, Math.max(start, end));
        rows.add(new double[] {k, lane, start, end});
        labels.add(label == null ? "" : label);
    }

    /**
     * Writes {@code text} centred on a bar's band (an annotation: the renderer's item labels do not work with
     * interval bars in a horizontal plot). Keep it to bars wide enough to hold it.
     */
    public void addText(int lane, int subRow, int subRows, double time, String text) {
        double band = 0.8 / subRows;
        XYTextAnnotation a = new XYTextAnnotation(text, lane - 0.4 + subRow * band + band / 2, time);
        a.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        a.setPaint(ChartPalette.of(isDark()).background());
        plot.addAnnotation(a);
    }

    /** Fixes the time axis to [0, maxTime] (to compare timelines side by side); NaN: automatic. */
    public void setTimeRange(double maxTime) {
        NumberAxis axis = (NumberAxis) plot.getRangeAxis();
        if (Double.isNaN(maxTime) || maxTime <= 0) {
            axis.setAutoRange(true);
        } else {
            axis.setRange(0, maxTime);
        }
    }

    public void clear() {
        for (int i = 0; i < data.getSeriesCount(); i++) {
            data.getSeries(i).clear();
        }
        rows.clear();
        labels.clear();
        plot.clearAnnotations();
    }

    /** Bars added since the last clear. */
    public int barCount() {
        return rows.size();
    }

    /** Bars of one kind. */
    public int barCount(String kind) {
        int k = kinds.indexOf(kind);
        return k < 0 ? 0 : data.getSeries(k).getItemCount();
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        for (int i = 0; i < kinds.size(); i++) {
            r.setSeriesPaint(i, p.seriesColor(i));
        }
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("kind,lane,start,end,label\n");
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            out.write(cell(kinds.get((int) r[0])) + "," + cell(lanes.length > r[1] ? lanes[(int) r[1]]
                    : Integer.toString((int) r[1])) + "," + r[2] + "," + r[3] + "," + cell(labels.get(i)) + "\n");
        }
    }
}
