package org.mlsysworkbench.views.core.charts;

import java.io.IOException;
import java.io.Writer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Grouped bars: one bar per series (run, backend) inside each category (size, kernel), series coloured
 * by {@link RunColors}. CSV export lists every (series, category, value).
 */
public final class CategoryBarChart extends WorkbenchChart {

    private final DefaultCategoryDataset data;
    private final String valueLabel;
    private boolean logValues;

    CategoryBarChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode,
                     DefaultCategoryDataset data, String valueLabel) {
        super(name, chart, colors, darkMode);
        this.data = data;
        this.valueLabel = valueLabel;
        BarRenderer renderer = (BarRenderer) plot().getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        setDark(isDark());
    }

    private CategoryPlot plot() {
        return chart().getCategoryPlot();
    }

    /** Sets one bar; adding a new series or category grows the chart. FX thread once shown. */
    public void set(String seriesName, String category, double value) {
        data.setValue(value, seriesName, category);
        recolour();
    }

    public void clear() {
        data.clear();
    }

    /** The value of one bar, or NaN when absent. */
    public double value(String seriesName, String category) {
        if (data.getRowIndex(seriesName) < 0 || data.getColumnIndex(category) < 0) {
            return Double.NaN;
        }
        Number n = data.getValue(seriesName, category);
        return n == null ? Double.NaN : n.doubleValue();
    }

    public int seriesCount() {
        return data.getRowCount();
    }

    public int categoryCount() {
        return data.getColumnCount();
    }

    /** Logarithmic value axis (for throughputs spanning decades). */
    public void setLogValues(boolean log) {
        logValues = log;
        if (log) {
            LogAxis axis = new LogAxis(valueLabel);
            axis.setSmallestValue(1e-6);
            plot().setRangeAxis(axis);
        } else {
            plot().setRangeAxis(new NumberAxis(valueLabel));
        }
        setDark(isDark());
    }

    public boolean isLogValues() {
        return logValues;
    }

    private void recolour() {
        BarRenderer renderer = (BarRenderer) plot().getRenderer();
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, colors().color(data.getRowKey(i).toString(), isDark()));
        }
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        recolour();
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("series,category,value\n");
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                Number v = data.getValue(r, c);
                if (v != null) {
                    out.write(cell(data.getRowKey(r).toString()) + "," + cell(data.getColumnKey(c).toString())
                            + "," + v.doubleValue() + "\n");
                }
            }
        }
    }
}
