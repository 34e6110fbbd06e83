package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled set of single-channel images, pixels scaled to 0..1.
 *
 * @param name       what the set is, for logs and the GUI ("fashion-mnist train")
 * @param count      number of images
 * @param height     image rows
 * @param width      image columns
 * @param pixels     {@code count * height * width} floats in 0..1, image-major then row-major; not copied
 * @param labels     {@code count} class ids in {@code 0..classNames.size()-1}; not copied
 * @param classNames display names of the classes
 */
public record ImageSet(String name, int count, int height, int width, float[] pixels, int[] labels,
                       List<String> classNames) {

    public ImageSet {
        classNames = List.copyOf(classNames);
        if (pixels.length != (long) count * height * width || labels.length != count) {
            throw new IllegalArgumentException("image set " + name + ": " + count + " images of " + height + "x"
                    + width + " need " + (long) count * height * width + " pixels and " + count + " labels, got "
                    + pixels.length + " and " + labels.length);
        }
    }

    /** Pixels per image. */
    public int imageSize() {
        return height * width;
    }

    public int classes() {
        return classNames.size();
    }

    /** Images {@code from..to-1} (copied). */
    public ImageSet slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IllegalArgumentException("slice " + from + ".." + to + " of " + count + " images");
        }
        int sz = imageSize();
        return new ImageSet(name + "[" + from + ":" + to + "]", to - from, height, width,
                Arrays.copyOfRange(pixels, from * sz, to * sz), Arrays.copyOfRange(labels, from, to), classNames);
    }

    /** At most {@code n} images from the start. */
    public ImageSet head(int n) {
        return n >= count ? this : slice(0, n);
    }

    /** Number of images of each class. */
    public int[] classHistogram() {
        int[] h = new int[classes()];
        for (int l : labels) {
            h[l]++;
        }
        return h;
    }

    /** Mean pixel value over the whole set. */
    public double meanPixel() {
        double s = 0;
        for (float p : pixels) {
            s += p;
        }
        return s / pixels.length;
    }

    /** Standard deviation of the pixel values over the whole set. */
    public double stdPixel() {
        double m = meanPixel();
        double s = 0;
        for (float p : pixels) {
            s += (p - m) * (p - m);
        }
        return Math.sqrt(s / pixels.length);
    }
}
