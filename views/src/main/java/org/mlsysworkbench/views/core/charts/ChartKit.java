package org.mlsysworkbench.views.core.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.mlsysworkbench.views.core.ExportableChart;

/**
 * The one place that builds charts. Every chart follows the app's dark-mode property, colours named
 * series through the shared {@link RunColors} (so a run has one colour in every view), and exports PNG,
 * SVG and CSV. Create charts on the FX thread once the app runs; in tests any thread works.
 */
public final class ChartKit {

    private final ReadOnlyBooleanProperty darkMode;
    private final RunColors colors;

    public ChartKit(ReadOnlyBooleanProperty darkMode, RunColors colors) {
        this.darkMode = darkMode;
        this.colors = colors;
    }

    /** A kit for tests and headless exports: light theme, its own colours. */
    public static ChartKit standalone() {
        return new ChartKit(new SimpleBooleanProperty(false), new RunColors());
    }

    public RunColors colors() {
        return colors;
    }

    public ReadOnlyBooleanProperty darkMode() {
        return darkMode;
    }

    /** A live line chart (metric curves over steps or time). */
    public LiveXYChart line(String name, String title, String xLabel, String yLabel) {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(null, x, y, new XYLineAndShapeRenderer(true, false));
        return new LiveXYChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true),
                colors, darkMode, xLabel, yLabel);
    }

    /** An XY chart; the same as {@link #line} (points are joined in append order). */
    public LiveXYChart xy(String name, String title, String xLabel, String yLabel) {
        return line(name, title, xLabel, yLabel);
    }

    /** An empirical CDF chart; fill it with {@link LiveXYChart#setCdf}. */
    public LiveXYChart cdf(String name, String title, String xLabel) {
        LiveXYChart chart = line(name, title, xLabel, "fraction ≤ x");
        ((NumberAxis) ((XYPlot) chart.chart().getPlot()).getRangeAxis()).setRange(0, 1.0);
        return chart;
    }

    /** Grouped vertical bars, one colour per series. */
    public CategoryBarChart bar(String name, String title, String categoryLabel, String valueLabel) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        CategoryAxis cat = new CategoryAxis(categoryLabel);
        cat.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        CategoryPlot plot = new CategoryPlot(data, cat, new NumberAxis(valueLabel), new BarRenderer());
        plot.setOrientation(PlotOrientation.VERTICAL);
        return new CategoryBarChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true),
                colors, darkMode, data, valueLabel);
    }

    /** A heat map of a value grid (viridis). */
    public HeatmapChart heatmap(String name, String title, String xLabel, String yLabel, String zLabel) {
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(null, x, y, null);
        return new HeatmapChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false),
                colors, darkMode, zLabel);
    }

    /** A histogram of one or more samples. */
    public HistogramChart histogram(String name, String title, String xLabel, int bins) {
        XYPlot plot = new XYPlot(null, new NumberAxis(xLabel), new NumberAxis("count"), null);
        return new HistogramChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true),
                colors, darkMode, bins);
    }

    /** A Gantt timeline: lanes (workers) top to bottom, bars over a time axis; see {@link GanttChart#setup}. */
    public GanttChart gantt(String name, String title, String laneLabel, String timeLabel) {
        XYPlot plot = new XYPlot(null, new NumberAxis(laneLabel), new NumberAxis(timeLabel), null);
        return new GanttChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), colors,
                darkMode);
    }

    /** A node-link drawing of a laid-out graph, nodes coloured by group; see {@link GraphChart#setGraph}. */
    public GraphChart graph(String name, String title) {
        XYPlot plot = new XYPlot(null, new NumberAxis(), new NumberAxis(), null);
        return new GraphChart(name, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), colors,
                darkMode);
    }

    /**
     * "Export all charts": writes {@code <name>.png} (at {@code dpi}), {@code <name>.svg} and
     * {@code <name>.csv} of each chart into {@code folder} (created if needed).
     *
     * @return the files written, in chart order
     */
    public static List<Path> exportAll(List<? extends ExportableChart> charts, Path folder, int dpi)
            throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (ExportableChart c : charts) {
            Path png = folder.resolve(c.name() + ".png");
            Path svg = folder.resolve(c.name() + ".svg");
            Path csv = folder.resolve(c.name() + ".csv");
            c.exportPng(png, dpi);
            c.exportSvg(svg);
            c.exportCsv(csv);
            written.add(png);
            written.add(svg);
            written.add(csv);
        }
        return written;
    }
}
