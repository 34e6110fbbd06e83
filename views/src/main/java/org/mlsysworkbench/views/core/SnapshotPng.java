package org.mlsysworkbench.views.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javax.imageio.ImageIO;

/**
 * Writes a JavaFX snapshot as PNG without javafx-swing (works headless and with {@code java.awt.headless}).
 * Snapshots must be taken on the FX thread; writing may happen on any thread.
 */
public final class SnapshotPng {

    private SnapshotPng() {
    }

    /** Snapshot of a whole scene (FX thread). */
    public static Image snapshot(Scene scene) {
        return scene.snapshot(null);
    }

    /** Snapshot of one node (FX thread). */
    public static Image snapshot(Node node) {
        return node.snapshot(null, null);
    }

    public static void write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }
}
