package org.mlsysworkbench.algorithms.cnnquant;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (MNIST, Fashion-MNIST), gzip-compressed or raw: a big-endian int32 magic
 * {@code 0x0000TTDD} (TT = 0x08 for unsigned bytes, DD = number of dimensions), one big-endian int32 per
 * dimension, then the data in row-major order. Only unsigned-byte data is supported. Stateless, thread-safe.
 */
public final class IdxReader {

    /** Magic of an unsigned-byte image file with 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x0803;
    /** Magic of an unsigned-byte label file with 1 dimension. */
    public static final int LABELS_MAGIC = 0x0801;

    private IdxReader() {
    }

    /** The dimensions and raw unsigned bytes of one IDX file. */
    public record IdxArray(int[] dims, byte[] data) {
    }

    /**
     * Reads an IDX file and checks its magic number.
     *
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @throws DataFormatException naming the file when the magic differs or the data is shorter than the header says
     */
    public static IdxArray read(Path file, int expectedMagic) throws IOException {
        byte[] all = readMaybeGzip(file);
        if (all.length < 4) {
            throw new DataFormatException(file, "truncated: expected a 4-byte IDX magic number, found "
                    + all.length + " bytes");
        }
        int magic = readInt(all, 0);
        if (magic != expectedMagic) {
            throw new DataFormatException(file, String.format("expected IDX magic number 0x%08x (%s), found 0x%08x",
                    expectedMagic, expectedMagic == IMAGES_MAGIC ? "uint8 images, 3 dimensions"
                            : "uint8 labels, 1 dimension", magic));
        }
        int nDims = magic & 0xFF;
        int header = 4 + 4 * nDims;
        if (all.length < header) {
            throw new DataFormatException(file, "truncated: expected a " + header + "-byte header, found "
                    + all.length + " bytes");
        }
        int[] dims = new int[nDims];
        long total = 1;
        for (int i = 0; i < nDims; i++) {
            dims[i] = readInt(all, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new DataFormatException(file, "expected a non-negative size for dimension " + i + ", found "
                        + dims[i]);
            }
            total *= dims[i];
        }
        if (all.length - header < total) {
            throw new DataFormatException(file, "truncated: expected " + total + " data bytes after the header, found "
                    + (all.length - header));
        }
        byte[] data = new byte[(int) total];
        System.arraycopy(all, header, data, 0, data.length);
        return new IdxArray(dims, data);
    }

    /**
     * Reads an image file and its label file as one set; pixels become {@code value / 255}.
     *
     * @throws DataFormatException when either file is malformed, or the counts or labels disagree
     */
    public static ImageSet readImageSet(String name, Path images, Path labels, List<String> classNames)
            throws IOException {
        IdxArray img = read(images, IMAGES_MAGIC);
        IdxArray lab = read(labels, LABELS_MAGIC);
        if (lab.dims()[0] != img.dims()[0]) {
            throw new DataFormatException(labels, "expected " + img.dims()[0] + " labels (one per image in "
                    + images.getFileName() + "), found " + lab.dims()[0]);
        }
        int n = img.dims()[0];
        int h = img.dims()[1];
        int w = img.dims()[2];
        float[] pixels = new float[img.data().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (img.data()[i] & 0xFF) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.data()[i] & 0xFF;
            if (y[i] >= classNames.size()) {
                throw new DataFormatException(labels, "label " + i + ": expected 0.." + (classNames.size() - 1)
                        + ", found " + y[i]);
            }
        }
        return new ImageSet(name, n, h, w, pixels, y, classNames);
    }

    static byte[] readMaybeGzip(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw)) {
                    return gz.readAllBytes();
                } catch (java.io.EOFException e) {
                    throw new DataFormatException(file, "truncated gzip stream: expected a complete gzip file");
                } catch (java.util.zip.ZipException e) {
                    throw new DataFormatException(file, "expected gzip data: " + e.getMessage());
                }
            }
            return raw.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found");
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** Writes an IDX file (raw, uncompressed): for tests and for exporting synthesised sets. */
    public static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        putInt(out, 0, magic);
        for (int i = 0; i < dims.length; i++) {
            putInt(out, 4 + 4 * i, dims[i]);
        }
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        Files.write(file, out);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
