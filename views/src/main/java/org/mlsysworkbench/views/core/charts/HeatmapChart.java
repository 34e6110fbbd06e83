package org.mlsysworkbench.views.core.charts;

import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.io.Writer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A grid of values drawn with {@link XYBlockRenderer} in the viridis colour map (perceptually uniform,
 * colour-blind safe, the same in both themes: data colours are never re-mapped by the theme), with a
 * colour-scale legend. Cell (row r, column c) sits at x = c, y = r. CSV export lists every (x, y, z).
 */
public final class HeatmapChart extends WorkbenchChart {

    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89,
        0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};

    private final DefaultXYZDataset data = new DefaultXYZDataset();
    private final XYBlockRenderer renderer = new XYBlockRenderer();
    private final PaintScaleLegend legend;
    private double[][] values = new double[0][0];

    HeatmapChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode, String zLabel) {
        super(name, chart, colors, darkMode);
        XYPlot plot = (XYPlot) chart.getPlot();
        plot.setDataset(data);
        plot.setRenderer(renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        renderer.setPaintScale(new Viridis(0, 1));
        NumberAxis scaleAxis = new NumberAxis(zLabel);
        legend = new PaintScaleLegend(renderer.getPaintScale(), scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        legend.setStripWidth(12);
        chart.addSubtitle(legend);
        setDark(isDark());
    }

    /** Replaces the grid: {@code z[row][col]}; the colour scale spans its finite min..max. */
    public void setValues(double[][] z) {
        int rows = z.length;
        int cols = rows == 0 ? 0 : z[0].length;
        double[][] xyz = new double[3][rows * cols];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int k = 0;
        for (int r = 0; r < rows; r++) {
            if (z[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + z[r].length + " values, expected " + cols);
            }
            for (int c = 0; c < cols; c++) {
                xyz[0][k] = c;
                xyz[1][k] = r;
                xyz[2][k] = z[r][c];
                if (Double.isFinite(z[r][c])) {
                    min = Math.min(min, z[r][c]);
                    max = Math.max(max, z[r][c]);
                }
                k++;
            }
        }
        if (!(max >= min)) {
            min = 0;
            max = 1;
        } else if (max == min) {
            max = min + 1;
        }
        values = new double[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = z[r].clone();
        }
        Viridis scale = new Viridis(min, max);
        renderer.setPaintScale(scale);
        legend.setScale(scale);
        legend.getAxis().setRange(min, max);
        if (data.getSeriesCount() > 0) {
            data.removeSeries("z");
        }
        data.addSeries("z", xyz);
    }

    /** The value at (row, col) of the last grid set. */
    public double value(int row, int col) {
        return values[row][col];
    }

    @Override
    protected void writeCsv(Writer out) throws IOException {
        out.write("x,y,z\n");
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < values[r].length; c++) {
                out.write(c + "," + r + "," + values[r][c] + "\n");
            }
        }
    }

    /** Viridis, linearly interpolated between ten anchors; NaN draws transparent. */
    static final class Viridis implements PaintScale {
        private final double lower;
        private final double upper;

        Viridis(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value)) {
                return new Color(0, 0, 0, 0);
            }
            double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
            double pos = t * (VIRIDIS.length - 1);
            int i = Math.min((int) pos, VIRIDIS.length - 2);
            double f = pos - i;
            Color a = new Color(VIRIDIS[i]);
            Color b = new Color(VIRIDIS[i + 1]);
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                    (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                    (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }
    }
}
