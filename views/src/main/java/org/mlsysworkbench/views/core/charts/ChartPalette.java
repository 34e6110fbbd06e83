package org.mlsysworkbench.views.core.charts;

import java.awt.Color;
import java.util.List;

/**
 * The colours charts draw with, one palette per theme. Series colours are colour-blind safe (members of
 * Okabe-Ito and Paul Tol's "bright"/"muted" sets) and each keeps at least 3:1 contrast against its theme's
 * plot background ({@link #contrastRatio}). Slot {@code i} of the light palette and slot {@code i} of the
 * dark palette are the same hue family, so a run keeps "its" colour when the theme changes.
 *
 * @param background chart and plot background
 * @param foreground titles, tick and axis labels
 * @param grid       grid lines
 * @param series     series colours, indexed by {@link RunColors#slot}
 */
public record ChartPalette(Color background, Color foreground, Color grid, List<Color> series) {

    /** Light theme (AtlantaFX Primer Light canvas and text colours). */
    public static final ChartPalette LIGHT = new ChartPalette(
            new Color(0xFFFFFF), new Color(0x1F2328), new Color(0xD0D7DE),
            List.of(new Color(0x0072B2),    // Okabe-Ito blue
                    new Color(0xD55E00),    // Okabe-Ito vermillion
                    new Color(0x117733),    // Tol muted green
                    new Color(0xAA3377),    // Tol bright purple
                    new Color(0x332288),    // Tol muted indigo
                    new Color(0x8F7A00),    // Okabe-Ito yellow, darkened to reach 3:1 on white
                    new Color(0x008B8B),    // Tol teal, darkened
                    new Color(0x882255)));  // Tol muted wine

    /** Dark theme (AtlantaFX Primer Dark canvas and text colours). */
    public static final ChartPalette DARK = new ChartPalette(
            new Color(0x0D1117), new Color(0xE6EDF3), new Color(0x30363D),
            List.of(new Color(0x56B4E9),    // Okabe-Ito sky blue
                    new Color(0xE69F00),    // Okabe-Ito orange
                    new Color(0x44BB66),    // Tol bright green, lightened
                    new Color(0xEE6677),    // Tol bright red
                    new Color(0x9988DD),    // Tol indigo, lightened
                    new Color(0xF0E442),    // Okabe-Ito yellow
                    new Color(0x66CCEE),    // Tol bright cyan
                    new Color(0xCC79A7)));  // Okabe-Ito reddish purple

    public ChartPalette {
        series = List.copyOf(series);
    }

    public static ChartPalette of(boolean dark) {
        return dark ? DARK : LIGHT;
    }

    /** The colour of palette slot {@code slot} (taken modulo the palette size). */
    public Color seriesColor(int slot) {
        return series.get(Math.floorMod(slot, series.size()));
    }

    /** WCAG 2 contrast ratio of two colours, from 1 (same luminance) to 21 (black on white). */
    public static double contrastRatio(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(int channel) {
        double s = channel / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    /** The colour with the given alpha (0-255), for faint raw curves under smoothed ones. */
    public static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** CSS hex ({@code #RRGGBB}) of a colour, for JavaFX nodes that show a run's colour. */
    public static String hex(Color c) {
        return String.format("#%02X%02X%02X", c.getRed(), c.getGreen(), c.getBlue());
    }
}
