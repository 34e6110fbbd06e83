package org.mlsysworkbench.views.attention;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * A grid of coloured cells shown as an image, one pixel per cell, scaled without smoothing: cheap for maps of a
 * million tiles. FX thread only.
 */
final class CellImage {

    private CellImage() {
    }

    /**
     * Puts {@code argb} ({@code rows x cols}, row-major) into the view: small grids are enlarged by whole pixels
     * (no blurred cells whatever the renderer's smoothing), large ones shown one pixel per cell and fitted into
     * {@code size} x {@code size}. The grid size is kept as the view's user data ({@code int[] {cols, rows}}).
     */
    static void show(ImageView view, int[] argb, int cols, int rows, int size) {
        if (cols <= 0 || rows <= 0) {
            view.setImage(null);
            view.setUserData(null);
            return;
        }
        int sx = Math.max(1, size / cols);
        int sy = Math.max(1, size / rows);
        int w = cols * sx;
        int h = rows * sy;
        int[] big = new int[w * h];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = argb[r * cols + c];
                for (int y = r * sy; y < (r + 1) * sy; y++) {
                    java.util.Arrays.fill(big, y * w + c * sx, y * w + (c + 1) * sx, v);
                }
            }
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), big, 0, w);
        view.setImage(img);
        view.setUserData(new int[] {cols, rows});
        view.setSmooth(false);
        view.setPreserveRatio(false);
        view.setFitWidth(Math.min(size, w));
        view.setFitHeight(Math.min(size, h));
    }

    /** The grey of the same lightness as {@code argb}: how unselected cells are drawn. */
    static int grey(int argb) {
        int r = (argb >> 16) & 0xff;
        int g = (argb >> 8) & 0xff;
        int b = argb & 0xff;
        int l = (int) Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
        l = 96 + l * 159 / 255;
        return 0xff000000 | (l << 16) | (l << 8) | l;
    }

    /** A perceptually ordered ramp (dark blue, teal, yellow) for values in [0, 1]. */
    static int ramp(double x) {
        double t = Math.max(0, Math.min(1, x));
        double[][] stops = {{0.15, 0.10, 0.35}, {0.13, 0.55, 0.55}, {0.99, 0.91, 0.15}};
        double pos = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) pos);
        double f = pos - i;
        int r = (int) Math.round(255 * (stops[i][0] + f * (stops[i + 1][0] - stops[i][0])));
        int g = (int) Math.round(255 * (stops[i][1] + f * (stops[i + 1][1] - stops[i][1])));
        int b = (int) Math.round(255 * (stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
        return 0xff000000 | (r << 16) | (g << 8) | b;
    }
}
