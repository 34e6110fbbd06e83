package org.mlsysworkbench.render.nerf;

/**
 * Perceptual colour maps for heat maps (energy per pixel, sample counts, error), as packed {@code 0xAARRGGBB}.
 * The tables are piecewise-linear fits through nine stops of matplotlib's viridis and inferno. Stateless.
 */
public final class Colormaps {

    /** Which map. */
    public enum Map { VIRIDIS, INFERNO }

    private static final float[][] VIRIDIS = {
            {0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f}, {0.207f, 0.372f, 0.553f},
            {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f}, {0.135f, 0.659f, 0.518f}, {0.267f, 0.749f, 0.441f},
            {0.478f, 0.821f, 0.318f}, {0.741f, 0.873f, 0.150f}, {0.993f, 0.906f, 0.144f}};
    private static final float[][] INFERNO = {
            {0.001f, 0.000f, 0.014f}, {0.087f, 0.045f, 0.225f}, {0.258f, 0.039f, 0.406f}, {0.416f, 0.090f, 0.433f},
            {0.578f, 0.148f, 0.404f}, {0.735f, 0.216f, 0.330f}, {0.865f, 0.317f, 0.226f}, {0.954f, 0.469f, 0.099f},
            {0.988f, 0.645f, 0.040f}, {0.964f, 0.843f, 0.273f}, {0.988f, 0.998f, 0.645f}};

    private Colormaps() {
    }

    /** The colour of {@code t} in [0, 1] (clamped). */
    public static int color(Map map, double t) {
        float[][] lut = map == Map.VIRIDIS ? VIRIDIS : INFERNO;
        double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (lut.length - 1);
        int i = Math.min((int) x, lut.length - 2);
        double f = x - i;
        int r = (int) Math.round(255 * (lut[i][0] * (1 - f) + lut[i + 1][0] * f));
        int g = (int) Math.round(255 * (lut[i][1] * (1 - f) + lut[i + 1][1] * f));
        int b = (int) Math.round(255 * (lut[i][2] * (1 - f) + lut[i + 1][2] * f));
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    /** Maps values linearly from {@code [min, max]} to colours; {@code max <= min} maps everything to the low end. */
    public static int[] apply(Map map, float[] values, float min, float max, int[] out) {
        float span = max - min;
        for (int i = 0; i < values.length; i++) {
            out[i] = color(map, span > 0 ? (values[i] - min) / span : 0);
        }
        return out;
    }

    /** Largest value of an array (0 for an empty one). */
    public static float max(float[] values) {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
