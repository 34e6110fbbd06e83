package org.mlsysworkbench.views.attention;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.scene.Node;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.mlsysworkbench.algorithms.attention.AttentionResult;
import org.mlsysworkbench.views.core.ExportableChart;

/** Recall (and agreement or needle hit rate) against the token budget, exportable as PNG, SVG and CSV. */
final class RecallChart implements ExportableChart {

    private final XYSeries recall = new XYSeries("attention-mass recall");
    private final XYSeries quality = new XYSeries("next-token agreement");
    private final JFreeChart chart;
    private final ChartViewer viewer;

    RecallChart(ReadOnlyBooleanProperty darkMode) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(recall);
        data.addSeries(quality);
        chart = ChartFactory.createXYLineChart(null, "budget B (tokens)", "fraction", data,
                PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, new Color(0x2c7bb6));
        r.setSeriesPaint(1, new Color(0xd7191c));
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(r);
        plot.getRangeAxis().setRange(0, 1.05);
        viewer = new ChartViewer(chart);
        viewer.setPrefSize(340, 300);
        viewer.setId("recallChart");
        applyTheme(darkMode.get());
        darkMode.addListener((o, a, b) -> applyTheme(b));
    }

    private void applyTheme(boolean dark) {
        Color bg = dark ? new Color(0x1e1e1e) : Color.WHITE;
        Color fg = dark ? new Color(0xdddddd) : Color.DARK_GRAY;
        chart.setBackgroundPaint(bg);
        chart.getXYPlot().setBackgroundPaint(bg);
        chart.getXYPlot().getDomainAxis().setTickLabelPaint(fg);
        chart.getXYPlot().getRangeAxis().setTickLabelPaint(fg);
        chart.getXYPlot().getDomainAxis().setLabelPaint(fg);
        chart.getXYPlot().getRangeAxis().setLabelPaint(fg);
        if (chart.getLegend() != null) {
            chart.getLegend().setBackgroundPaint(bg);
            chart.getLegend().setItemPaint(fg);
        }
    }

    Node node() {
        return viewer;
    }

    void show(List<AttentionResult.BudgetPoint> points, boolean model) {
        recall.clear();
        quality.clear();
        quality.setKey(model ? "next-token agreement" : "needle hit rate");
        for (AttentionResult.BudgetPoint p : points) {
            recall.add(p.budgetTokens(), p.recall());
            quality.add(p.budgetTokens(), p.quality());
        }
    }

    /** Points of the recall series, for tests. */
    int recallPoints() {
        return recall.getItemCount();
    }

    @Override
    public String name() {
        return "attention-recall-vs-budget";
    }

    @Override
    public void exportPng(Path file, int dpi) throws IOException {
        int w = Math.max(1, 640 * dpi / 96);
        int h = Math.max(1, 400 * dpi / 96);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, w, h);
    }

    @Override
    public void exportSvg(Path file) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(640, 400);
        chart.draw(g, new java.awt.Rectangle(0, 0, 640, 400));
        Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
    }

    @Override
    public void exportCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("budget_tokens,recall,").append(quality.getKey().toString()
                .replace(' ', '_').replace("-", "_")).append('\n');
        for (int i = 0; i < recall.getItemCount(); i++) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f%n", recall.getX(i).intValue(),
                    recall.getY(i).doubleValue(), quality.getY(i).doubleValue()));
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
