package org.mlsysworkbench.views.core.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmoothingAndDecimationTest {

    @Test
    void smoothedValueAtAStepNeverChangesWhenLaterPointsArrive() {   // TensorBoard #1518
        SeriesBuffer s = new SeriesBuffer("loss", 0.95);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            s.append(i, r.nextDouble());
        }
        double at100 = s.snapshot().smoothed()[100];
        for (int i = 200; i < 50_000; i++) {
            s.append(i, 10 * r.nextDouble());
        }
        assertThat(s.snapshot().smoothed()[100]).isEqualTo(at100);
    }

    @Test
    void emaIsDebiasedSoAConstantSeriesStaysConstant() {
        SeriesBuffer s = new SeriesBuffer("c", 0.99);
        for (int i = 0; i < 10; i++) {
            s.append(i, 3.0);
        }
        for (double v : s.snapshot().smoothed()) {
            assertThat(v).isCloseTo(3.0, within(1e-12));   // rounding of 1 - w^k only
        }
        s.setSmoothingWeight(0);
        assertThat(s.snapshot().smoothed()).containsExactly(s.snapshot().y());
    }

    @Test
    void emaMatchesTheFormulaByHand() {
        SeriesBuffer s = new SeriesBuffer("h", 0.5);
        s.append(0, 2);
        s.append(1, 4);
        // last1 = 1, debias 0.5 -> 2; last2 = 0.5 + 2 = 2.5, debias 0.75 -> 3.333...
        assertThat(s.snapshot().smoothed()).containsExactly(2.0, 2.5 / 0.75);
    }

    @Test
    void chartDrawsSmoothedValuesDecimatedAfterSmoothing() {
        LiveXYChart chart = ChartKit.standalone().line("l", "t", "step", "v");
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            chart.append("run", i, Math.sin(i / 500.0) + r.nextGaussian());
        }
        chart.setSmoothing(0.99);
        chart.refresh();
        var plot = (org.jfree.chart.plot.XYPlot) chart.chart().getPlot();
        var shown = plot.getDataset(0);
        double[] smoothed = chart.series("run").snapshot().smoothed();
        assertThat(shown.getItemCount(0)).isEqualTo(LiveXYChart.DISPLAY_POINTS);
        for (int i = 0; i < shown.getItemCount(0); i++) {
            int step = (int) shown.getXValue(0, i);
            assertThat(shown.getYValue(0, i)).isEqualTo(smoothed[step]);
        }
        assertThat(plot.getDataset(1).getItemCount(0)).isGreaterThan(0);   // the faint raw layer
    }

    @Test
    void lttbKeepsEndpointsOrderAndTheSpike() {
        int n = 10_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        y[6543] = 100;
        int[] idx = Decimation.lttb(x, y, 0, n, 100);
        assertThat(idx).hasSize(100);
        assertThat(idx[0]).isZero();
        assertThat(idx[99]).isEqualTo(n - 1);
        assertThat(idx).isSorted().contains(6543);
        assertThat(Decimation.lttb(x, y, 0, 50, 100)).hasSize(50);
    }

    @Test
    void minMaxKeepsTheExtremesOfEveryBucket() {
        double[] y = new double[1000];
        y[10] = -5;
        y[500] = 7;
        int[] idx = Decimation.minMax(y, 0, y.length, 20);
        assertThat(idx.length).isLessThanOrEqualTo(42);
        assertThat(idx).isSorted().contains(10, 500, 0, 999);
        assertThat(Arrays.stream(idx).distinct().count()).isEqualTo(idx.length);
    }

    @Test
    void liveAppendsMarkTheChartDirtyAndLogAxesSwitchBothWays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        LiveXYChart chart = ChartKit.standalone().line("lr", "Learning rate", "step", "lr");
        chart.refresh();
        assertThat(chart.isDirty()).isFalse();
        for (int i = 1; i <= 1000; i++) {
            chart.append("run", i, Math.pow(10, -i / 200.0));
        }
        assertThat(chart.isDirty()).isTrue();
        chart.refresh();
        assertThat(chart.isDirty()).isFalse();
        var plot = (org.jfree.chart.plot.XYPlot) chart.chart().getPlot();
        assertThat(plot.getDataset(0).getItemCount(0)).isEqualTo(1000);   // under the display cap: every point
        chart.setLogY(true);
        chart.setLogX(true);
        assertThat(plot.getRangeAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        assertThat(plot.getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        assertThat(plot.getRangeAxis().getLabel()).isEqualTo("lr");
        chart.exportSvg(dir.resolve("lr.svg"));
        assertThat(java.nio.file.Files.readString(dir.resolve("lr.svg"))).contains("Learning rate");
        chart.setLogY(false);
        assertThat(plot.getRangeAxis()).isInstanceOf(org.jfree.chart.axis.NumberAxis.class);
    }
}
