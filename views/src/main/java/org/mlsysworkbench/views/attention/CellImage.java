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

    /** Puts {@code argb} ({@code rows x cols}, row-major) into the view, scaled to the view's fit size. */
    static void show(ImageView view, int[] argb, int cols, int rows) {
        if (cols <= 0 || rows <= 0) {
            view.setImage(null);
            return;
        }
        WritableImage img = new WritableImage(cols, rows);
        img.getPixelWriter().setPixels(0, 0, cols, rows, PixelFormat.getIntArgbInstance(), argb, 0, cols);
        view.setImage(img);
        view.setSmooth(false);
        view.setPreserveRatio(false);
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
