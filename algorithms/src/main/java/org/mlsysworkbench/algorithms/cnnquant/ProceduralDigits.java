package org.mlsysworkbench.algorithms.cnnquant;

import java.util.SplittableRandom;

/**
 * Synthetic handwritten-like digits for machines without any data set: each of the ten glyphs is a polyline in the
 * unit square, drawn with a random stroke width and contrast (0.5-1) through a random affine map (rotation up to
 * +-25 degrees, scale 0.7-1.15, shear up to +-0.35, shift up to +-12 % of the image), anti-aliased by the distance
 * to the nearest segment, plus Gaussian pixel noise (sigma 0.2), clamped to 0..1. Deterministic for a seed; plain Java, no fonts.
 */
public final class ProceduralDigits {

    /** Glyph strokes: per digit, polylines of (x, y) points in the unit square, y pointing down. */
    private static final double[][][] GLYPHS = {
        {{0.5, 0.1, 0.74, 0.2, 0.8, 0.5, 0.74, 0.8, 0.5, 0.9, 0.26, 0.8, 0.2, 0.5, 0.26, 0.2, 0.5, 0.1}},
        {{0.35, 0.25, 0.52, 0.1, 0.52, 0.9}},
        {{0.22, 0.3, 0.36, 0.12, 0.64, 0.12, 0.78, 0.3, 0.22, 0.9, 0.8, 0.9}},
        {{0.22, 0.12, 0.78, 0.12, 0.48, 0.45, 0.78, 0.64, 0.66, 0.88, 0.22, 0.86}},
        {{0.66, 0.9, 0.66, 0.1, 0.16, 0.64, 0.86, 0.64}},
        {{0.78, 0.1, 0.26, 0.1, 0.23, 0.46, 0.64, 0.44, 0.8, 0.64, 0.66, 0.88, 0.2, 0.88}},
        {{0.7, 0.1, 0.32, 0.44, 0.22, 0.7, 0.35, 0.9, 0.65, 0.9, 0.78, 0.7, 0.65, 0.5, 0.3, 0.52}},
        {{0.2, 0.1, 0.8, 0.1, 0.42, 0.9}},
        {{0.5, 0.1, 0.72, 0.22, 0.5, 0.47, 0.28, 0.22, 0.5, 0.1},
            {0.5, 0.47, 0.78, 0.68, 0.5, 0.9, 0.22, 0.68, 0.5, 0.47}},
        {{0.72, 0.48, 0.35, 0.5, 0.22, 0.3, 0.35, 0.1, 0.65, 0.1, 0.76, 0.3, 0.72, 0.48, 0.42, 0.9}},
    };

    private ProceduralDigits() {
    }

    /** {@code count} images of {@code size x size} (size divisible by 4), labels cycling 0..9 in random order. */
    public static ImageSet generate(String name, int count, int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] px = new float[count * size * size];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int digit = rnd.nextInt(10);
            labels[i] = digit;
            draw(GLYPHS[digit], rnd, size, px, i * size * size);
        }
        return new ImageSet(name, count, size, size, px, labels, DigitsCsvReader.DIGIT_CLASSES);
    }

    private static void draw(double[][] strokes, SplittableRandom rnd, int size, float[] px, int off) {
        double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * 25);
        double scale = 0.7 + 0.45 * rnd.nextDouble();
        double shear = (rnd.nextDouble() * 2 - 1) * 0.35;
        double dx = (rnd.nextDouble() * 2 - 1) * 0.12;
        double dy = (rnd.nextDouble() * 2 - 1) * 0.12;
        double half = 0.03 + 0.04 * rnd.nextDouble();
        double contrast = 0.5 + 0.5 * rnd.nextDouble();
        double aa = 0.7 / size;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                // pixel centre in image units, mapped back into glyph space (inverse of shift, rotate+shear, scale)
                double u = (x + 0.5) / size - 0.5 - dx;
                double v = (y + 0.5) / size - 0.5 - dy;
                double ru = cos * u + sin * v;
                double rv = -sin * u + cos * v;
                double gx = (ru - shear * rv) / scale + 0.5;
                double gy = rv / scale + 0.5;
                double d = Double.MAX_VALUE;
                for (double[] line : strokes) {
                    for (int k = 0; k + 3 < line.length; k += 2) {
                        d = Math.min(d, segmentDistance(gx, gy, line[k], line[k + 1], line[k + 2], line[k + 3]));
                    }
                }
                double ink = contrast * Math.max(0, Math.min(1, (half - d * scale) / aa + 0.5));
                double noisy = ink + 0.2 * SmallCnn.gaussian(rnd);
                px[off + y * size + x] = (float) Math.max(0, Math.min(1, noisy));
            }
        }
    }

    private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double vx = bx - ax;
        double vy = by - ay;
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
        double ex = px - (ax + t * vx);
        double ey = py - (ay + t * vy);
        return Math.sqrt(ex * ex + ey * ey);
    }
}
