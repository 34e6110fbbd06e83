package org.mlsysworkbench.views.core.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class PaletteTest {

    @Test
    void everySeriesColourKeepsThreeToOneContrastOnItsBackground() {   // F16
        for (ChartPalette p : new ChartPalette[] {ChartPalette.LIGHT, ChartPalette.DARK}) {
            for (Color c : p.series()) {
                assertThat(ChartPalette.contrastRatio(c, p.background()))
                        .as("%s on %s", ChartPalette.hex(c), ChartPalette.hex(p.background()))
                        .isGreaterThanOrEqualTo(3.0);
            }
            assertThat(ChartPalette.contrastRatio(p.foreground(), p.background())).isGreaterThanOrEqualTo(7.0);
            assertThat(p.series()).doesNotHaveDuplicates();
        }
        assertThat(ChartPalette.LIGHT.series()).hasSameSizeAs(ChartPalette.DARK.series());
    }

    @Test
    void aRunNameMapsToTheSameSlotInEveryInstanceAndOverridesWin() {   // F9
        RunColors a = new RunColors();
        RunColors b = new RunColors();
        for (String run : new String[] {"cpu", "vulkan", "run-2026-01-01", "fp32", "int4"}) {
            assertThat(a.slot(run)).isEqualTo(b.slot(run));
            assertThat(a.color(run, true)).isEqualTo(ChartPalette.DARK.seriesColor(a.slot(run)));
        }
        assertThat(RunColors.hashSlot("cpu", 8)).isEqualTo(RunColors.hashSlot("cpu", 8));
        a.override("cpu", 5);
        assertThat(a.slot("cpu")).isEqualTo(5);
        assertThat(a.overrides()).containsEntry("cpu", 5);
        a.clearOverride("cpu");
        assertThat(a.slot("cpu")).isEqualTo(b.slot("cpu"));
    }

    @Test
    void chartsRecolourWhenTheThemeChanges() {
        ChartKit kit = new ChartKit(new javafx.beans.property.SimpleBooleanProperty(false), new RunColors());
        CategoryBarChart bars = kit.bar("b", "t", "c", "v");
        bars.set("cpu", "1", 1);
        Color light = (Color) bars.chart().getCategoryPlot().getRenderer().getSeriesPaint(0);
        bars.setDark(true);
        Color dark = (Color) bars.chart().getCategoryPlot().getRenderer().getSeriesPaint(0);
        assertThat(light).isEqualTo(kit.colors().color("cpu", false));
        assertThat(dark).isEqualTo(kit.colors().color("cpu", true));
        assertThat(bars.chart().getBackgroundPaint()).isEqualTo(ChartPalette.DARK.background());
    }
}
