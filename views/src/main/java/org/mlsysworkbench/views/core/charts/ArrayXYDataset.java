package org.mlsysworkbench.views.core.charts;

import java.util.ArrayList;
import java.util.List;
import org.jfree.data.xy.AbstractXYDataset;

/** An XY dataset over plain arrays, replaced as a whole on each refresh (one change event per refresh). */
final class ArrayXYDataset extends AbstractXYDataset {
    private static final long serialVersionUID = 1L;

    private List<String> keys = List.of();
    private List<double[]> xs = List.of();
    private List<double[]> ys = List.of();

    void set(List<String> keys, List<double[]> xs, List<double[]> ys) {
        this.keys = new ArrayList<>(keys);
        this.xs = new ArrayList<>(xs);
        this.ys = new ArrayList<>(ys);
        fireDatasetChanged();
    }

    @Override
    public int getSeriesCount() {
        return keys.size();
    }

    @Override
    public Comparable<?> getSeriesKey(int series) {
        return keys.get(series);
    }

    @Override
    public int getItemCount(int series) {
        return xs.get(series).length;
    }

    @Override
    public Number getX(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public double getXValue(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public Number getY(int series, int item) {
        return ys.get(series)[item];
    }

    @Override
    public double getYValue(int series, int item) {
        return ys.get(series)[item];
    }
}
