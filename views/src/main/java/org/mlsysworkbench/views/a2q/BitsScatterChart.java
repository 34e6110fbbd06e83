package org.mlsysworkbench.views.a2q;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYDataset;
import org.mlsysworkbench.algorithms.graph.quant.A2qResult;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.ChartPalette;
import org.mlsysworkbench.views.core.charts.WorkbenchChart;

/**
 * Learned bits against in-degree, one point per node (log x; a small deterministic jitter separates the integer
 * bits), coloured by class, with the per-degree mean as a line: the spec sheet's "bits vs in-degree scatter".
 * CSV export: in-degree, mean bits, nodes.
 */
final class BitsScatterChart extends WorkbenchChart {

    private final DefaultXYDataset points = new DefaultXYDataset();
    private final DefaultXYDataset mean = new DefaultXYDataset();
    private List<double[]> means = List.of();

    private BitsScatterChart(JFreeChart chart, ChartKit kit) {
        super("a2q-bits-by-degree", chart, kit.colors(), kit.darkMode());
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(0, mean);
        plot.setRenderer(0, new XYLineAndShapeRenderer(true, false));
        plot.setDataset(1, points);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setDefaultShape(new java.awt.geom.Ellipse2D.Double(-1.5, -1.5, 3, 3));
        dots.setAutoPopulateSeriesShape(false);
        plot.setRenderer(1, dots);
        setDark(isDark());
    }

    static BitsScatterChart create(ChartKit kit) {
        LogAxis x = new LogAxis("in-degree (log)");
        x.setSmallestValue(0.5);
        NumberAxis y = new NumberAxis("reported bits");
        XYPlot plot = new XYPlot(null, x, y, null);
        return new BitsScatterChart(new JFreeChart("Learned bits vs in-degree", JFreeChart.DEFAULT_TITLE_FONT, plot,
                true), kit);
    }

    /** Shows a result's nodes and per-degree means (FX thread once shown). */
    void show(A2qResult r, List<double[]> perDegreeMean) {
        for (Comparable<?> k : seriesKeys(points)) {
            points.removeSeries(k);
        }
        for (Comparable<?> k : seriesKeys(mean)) {
            mean.removeSeries(k);
        }
        Map<Integer, int[]> byClass = new TreeMap<>();
        for (int v = 0; v < r.nodes(); v++) {
            int c = r.nodeLabels() == null ? 0 : r.nodeLabels()[v];
            byClass.computeIfAbsent(c, k -> new int[] {0})[0]++;
        }
        for (Map.Entry<Integer, int[]> e : byClass.entrySet()) {
            double[][] xy = new double[2][e.getValue()[0]];
            int i = 0;
            for (int v = 0; v < r.nodes(); v++) {
                int c = r.nodeLabels() == null ? 0 : r.nodeLabels()[v];
                if (c == e.getKey()) {
                    long h = (v * 2654435761L) & 0xffff;
                    xy[0][i] = Math.max(1, r.nodeDegree()[v]) * (1 + 0.08 * ((h & 0xff) / 255.0 - 0.5));
                    xy[1][i] = r.nodeBits()[v] + 0.3 * ((h >> 8) / 255.0 - 0.5);
                    i++;
                }
            }
            points.addSeries(e.getKey() < 0 ? "unlabelled" : "class " + e.getKey(), xy);
        }
        double[][] m = new double[2][perDegreeMean.size()];
        for (int i = 0; i < m[0].length; i++) {
            m[0][i] = Math.max(1, perDegreeMean.get(i)[0]);
            m[1][i] = perDegreeMean.get(i)[1];
        }
        mean.addSeries(String.format(Locale.ROOT, "mean (Spearman ρ = %.2f)", r.spearman()), m);
        means = perDegreeMean;
        recolour();
    }

    int pointSeries() {
        return points.getSeriesCount();
    }

    private static List<Comparable<?>> seriesKeys(DefaultXYDataset d) {
        List<Comparable<?>> keys = new java.util.ArrayList<>();
        for (int i = 0; i < d.getSeriesCount(); i++) {
            keys.add(d.getSeriesKey(i));
        }
        return keys;
    }

    private void recolour() {
        XYPlot plot = chart().getXYPlot();
        for (int i = 0; i < points.getSeriesCount(); i++) {
            plot.getRenderer(1).setSeriesPaint(i, ChartPalette.withAlpha(
                    colors().color(points.getSeriesKey(i).toString(), isDark()), 150));
        }
        for (int i = 0; i < mean.getSeriesCount(); i++) {
            plot.getRenderer(0).setSeriesPaint(i, ChartPalette.of(isDark()).foreground());
            plot.getRenderer(0).setSeriesStroke(i, new java.awt.BasicStroke(2f));
        }
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        if (points != null) {
            recolour();
        }
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("in_degree,mean_bits,nodes\n");
        for (double[] d : means) {
            out.write((int) d[0] + "," + d[1] + "," + (int) d[2] + "\n");
        }
    }
}
