package org.mlsysworkbench.views.core.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.Writer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * A node-link drawing of a graph whose layout was computed elsewhere (off the FX thread): nodes as dots
 * coloured by group (palette slot = group index, so part 0 has the first palette colour everywhere), marked
 * nodes (boundary nodes) drawn again with a ring, edges as thin translucent lines behind them. Axes are
 * hidden. CSV export lists every node (id, x, y, group, marked).
 */
public final class GraphChart extends WorkbenchChart {

    private final XYPlot plot;
    private final DefaultXYDataset nodesData = new DefaultXYDataset();
    private final DefaultXYDataset edgesData = new DefaultXYDataset();
    private final XYLineAndShapeRenderer nodeRenderer = new XYLineAndShapeRenderer(false, true);
    private final XYLineAndShapeRenderer edgeRenderer = new XYLineAndShapeRenderer(true, false);
    private int groups;
    private int[] ids = new int[0];
    private float[] xs = new float[0];
    private float[] ys = new float[0];
    private int[] group = new int[0];
    private boolean[] marked = new boolean[0];

    GraphChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode) {
        super(name, chart, colors, darkMode);
        plot = (XYPlot) chart.getPlot();
        plot.setDataset(0, nodesData);
        plot.setRenderer(0, nodeRenderer);
        plot.setDataset(1, edgesData);
        plot.setRenderer(1, edgeRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        for (NumberAxis a : new NumberAxis[] {(NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis()}) {
            a.setVisible(false);
            a.setRange(-0.03, 1.03);
        }
        edgeRenderer.setSeriesVisibleInLegend(0, false);
        edgeRenderer.setSeriesStroke(0, new BasicStroke(0.5f));
        setDark(isDark());
    }

    /**
     * Replaces the drawing. Coordinates in [0, 1]; {@code groupNames[g]} names group g in the legend;
     * {@code markName} names the ring series of the marked nodes.
     */
    public void setGraph(int[] nodeIds, float[] x, float[] y, int[] groupOf, boolean[] mark, int[] edgeA,
                         int[] edgeB, String[] groupNames, String markName) {
        ids = nodeIds.clone();
        xs = x.clone();
        ys = y.clone();
        group = groupOf.clone();
        marked = mark.clone();
        groups = groupNames.length;
        for (Comparable<?> key : keys(nodesData)) {
            nodesData.removeSeries(key);
        }
        for (Comparable<?> key : keys(edgesData)) {
            edgesData.removeSeries(key);
        }
        double[][] e = new double[2][edgeA.length * 3];
        for (int i = 0; i < edgeA.length; i++) {
            e[0][3 * i] = x[edgeA[i]];
            e[1][3 * i] = y[edgeA[i]];
            e[0][3 * i + 1] = x[edgeB[i]];
            e[1][3 * i + 1] = y[edgeB[i]];
            e[0][3 * i + 2] = Double.NaN;   // a gap: JFreeChart skips segments with a NaN end
            e[1][3 * i + 2] = Double.NaN;
        }
        edgesData.addSeries("edges", e);
        for (int g = 0; g < groups; g++) {
            int count = 0;
            for (int v : groupOf) {
                count += v == g ? 1 : 0;
            }
            double[][] xy = new double[2][count];
            int k = 0;
            for (int i = 0; i < groupOf.length; i++) {
                if (groupOf[i] == g) {
                    xy[0][k] = x[i];
                    xy[1][k++] = y[i];
                }
            }
            nodesData.addSeries(groupNames[g], xy);
        }
        int count = 0;
        for (boolean b : mark) {
            count += b ? 1 : 0;
        }
        double[][] xy = new double[2][count];
        int k = 0;
        for (int i = 0; i < mark.length; i++) {
            if (mark[i]) {
                xy[0][k] = x[i];
                xy[1][k++] = y[i];
            }
        }
        nodesData.addSeries(markName, xy);
        applyTheme(ChartPalette.of(isDark()));
    }

    private static Comparable<?>[] keys(DefaultXYDataset d) {
        Comparable<?>[] k = new Comparable<?>[d.getSeriesCount()];
        for (int i = 0; i < k.length; i++) {
            k[i] = d.getSeriesKey(i);
        }
        return k;
    }

    public int nodeCount() {
        return ids.length;
    }

    /** Nodes drawn in group g. */
    public int groupSize(int g) {
        return g < nodesData.getSeriesCount() ? nodesData.getItemCount(g) : 0;
    }

    /** Nodes drawn with the ring. */
    public int markedCount() {
        return nodesData.getSeriesCount() > groups ? nodesData.getItemCount(groups) : 0;
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        if (nodeRenderer == null) {
            return;   // called from the super constructor
        }
        double dot = 5;
        for (int g = 0; g < groups; g++) {
            nodeRenderer.setSeriesPaint(g, p.seriesColor(g));
            nodeRenderer.setSeriesShape(g, new Ellipse2D.Double(-dot / 2, -dot / 2, dot, dot));
            nodeRenderer.setSeriesShapesFilled(g, true);
        }
        double ring = 9;
        nodeRenderer.setSeriesPaint(groups, p.foreground());
        nodeRenderer.setSeriesShape(groups, new Ellipse2D.Double(-ring / 2, -ring / 2, ring, ring));
        nodeRenderer.setSeriesShapesFilled(groups, false);
        Color fg = p.foreground();
        edgeRenderer.setSeriesPaint(0, new Color(fg.getRed(), fg.getGreen(), fg.getBlue(), 40));
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("node,x,y,group,marked\n");
        for (int i = 0; i < ids.length; i++) {
            out.write(ids[i] + "," + xs[i] + "," + ys[i] + "," + group[i] + "," + marked[i] + "\n");
        }
    }
}
