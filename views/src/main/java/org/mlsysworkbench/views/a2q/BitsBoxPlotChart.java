package org.mlsysworkbench.views.a2q;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.ChartPalette;
import org.mlsysworkbench.views.core.charts.WorkbenchChart;

/**
 * Box plot of A2Q's learned bits per in-degree bucket (median, quartiles, whiskers, mean marker): the paper's
 * central observation that nodes aggregating more get more bits. CSV export: bucket, nodes, mean bits.
 */
final class BitsBoxPlotChart extends WorkbenchChart {

    private final DefaultBoxAndWhiskerCategoryDataset data;
    private Map<String, List<Double>> buckets = Map.of();

    private BitsBoxPlotChart(JFreeChart chart, ChartKit kit, DefaultBoxAndWhiskerCategoryDataset data) {
        super("a2q-bits-box", chart, kit.colors(), kit.darkMode());
        this.data = data;
        setDark(isDark());
    }

    static BitsBoxPlotChart create(ChartKit kit) {
        DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
        BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer();
        renderer.setMeanVisible(true);
        renderer.setMaxOutlierVisible(false);
        renderer.setMinOutlierVisible(false);
        renderer.setMaximumBarWidth(0.08);
        CategoryAxis degree = new CategoryAxis("in-degree");
        degree.setMaximumCategoryLabelWidthRatio(3f);
        degree.setCategoryMargin(0.1);
        degree.setTickLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        CategoryPlot plot = new CategoryPlot(data, degree, new NumberAxis("reported bits"), renderer);
        JFreeChart chart = new JFreeChart("Learned bits by in-degree (box plot)", JFreeChart.DEFAULT_TITLE_FONT, plot,
                true);
        return new BitsBoxPlotChart(chart, kit, data);
    }

    /** Shows one box per bucket (FX thread once shown). */
    void set(String series, Map<String, List<Double>> byBucket) {
        data.clear();
        buckets = byBucket;
        byBucket.forEach((bucket, values) -> data.add(values, series, bucket));
        recolour();
    }

    int boxes() {
        return data.getColumnCount();
    }

    private void recolour() {
        BoxAndWhiskerRenderer r = (BoxAndWhiskerRenderer) chart().getCategoryPlot().getRenderer();
        for (int i = 0; i < data.getRowCount(); i++) {
            r.setSeriesPaint(i, colors().color(data.getRowKey(i).toString(), isDark()));
        }
    }

    @Override
    protected void applyTheme(ChartPalette p) {
        super.applyTheme(p);
        recolour();
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("in_degree_bucket,nodes,mean_bits\n");
        for (Map.Entry<String, List<Double>> e : buckets.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0);
            out.write(cell(e.getKey()) + "," + e.getValue().size() + "," + mean + "\n");
        }
    }
}
