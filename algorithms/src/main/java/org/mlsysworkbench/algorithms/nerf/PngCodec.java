package org.mlsysworkbench.algorithms.nerf;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * A small PNG codec in plain Java ({@code algorithms} may not use {@code java.awt}/ImageIO): decodes 8-bit,
 * non-interlaced greyscale, grey+alpha, RGB and RGBA images; encodes 8-bit RGB. Stateless and thread-safe.
 */
public final class PngCodec {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

    /** A decoded image: {@code rgba} holds straight (not premultiplied) values in 0..1, row-major, 4 per pixel. */
    public record Image(int width, int height, float[] rgba) {
    }

    private PngCodec() {
    }

    /** Reads and decodes {@code file}; errors name the file and the chunk or field. */
    public static Image read(Path file) throws NerfFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NerfFormatException(file.toString(), "image", "cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes PNG bytes; {@code source} names the file in errors. */
    public static Image decode(byte[] bytes, String source) throws NerfFormatException {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes.length <= i || bytes[i] != SIGNATURE[i]) {
                throw new NerfFormatException(source, "signature", "not a PNG file");
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        bb.position(8);
        int width = -1;
        int height = -1;
        int colorType = -1;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (bb.remaining() >= 12) {
            int len = bb.getInt();
            byte[] type = new byte[4];
            bb.get(type);
            String t = new String(type, StandardCharsets.ISO_8859_1);
            if (len < 0 || len > bb.remaining() - 4) {
                throw new NerfFormatException(source, t, "chunk length " + len + " runs past the end of the file");
            }
            byte[] data = new byte[len];
            bb.get(data);
            bb.getInt();
            if (t.equals("IHDR")) {
                ByteBuffer h = ByteBuffer.wrap(data);
                width = h.getInt();
                height = h.getInt();
                int depth = data[8];
                colorType = data[9];
                if (depth != 8) {
                    throw new NerfFormatException(source, "IHDR.bitDepth", "expected 8, found " + depth);
                }
                if (data[12] != 0) {
                    throw new NerfFormatException(source, "IHDR.interlace", "expected 0 (none), found " + data[12]);
                }
                if (colorType != 0 && colorType != 2 && colorType != 4 && colorType != 6) {
                    throw new NerfFormatException(source, "IHDR.colorType", "expected 0, 2, 4 or 6, found " + colorType);
                }
            } else if (t.equals("IDAT")) {
                idat.write(data, 0, data.length);
            } else if (t.equals("IEND")) {
                break;
            }
        }
        if (width <= 0 || height <= 0) {
            throw new NerfFormatException(source, "IHDR", "missing or empty image header");
        }
        int channels = colorType == 0 ? 1 : colorType == 4 ? 2 : colorType == 2 ? 3 : 4;
        int stride = width * channels;
        byte[] raw = new byte[(stride + 1) * height];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(idat.toByteArray());
            int n = 0;
            while (n < raw.length && !inflater.finished()) {
                int got = inflater.inflate(raw, n, raw.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n < raw.length) {
                throw new NerfFormatException(source, "IDAT", "expected " + raw.length + " bytes of pixels, found " + n);
            }
        } catch (DataFormatException e) {
            throw new NerfFormatException(source, "IDAT", "corrupt compressed data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        byte[] cur = new byte[stride];
        byte[] prev = new byte[stride];
        float[] rgba = new float[width * height * 4];
        for (int y = 0; y < height; y++) {
            int filter = raw[y * (stride + 1)];
            System.arraycopy(raw, y * (stride + 1) + 1, cur, 0, stride);
            unfilter(filter, cur, prev, channels, source, y);
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 4;
                int p = x * channels;
                if (channels <= 2) {
                    float g = (cur[p] & 0xFF) / 255f;
                    rgba[o] = g;
                    rgba[o + 1] = g;
                    rgba[o + 2] = g;
                    rgba[o + 3] = channels == 2 ? (cur[p + 1] & 0xFF) / 255f : 1f;
                } else {
                    rgba[o] = (cur[p] & 0xFF) / 255f;
                    rgba[o + 1] = (cur[p + 1] & 0xFF) / 255f;
                    rgba[o + 2] = (cur[p + 2] & 0xFF) / 255f;
                    rgba[o + 3] = channels == 4 ? (cur[p + 3] & 0xFF) / 255f : 1f;
                }
            }
            byte[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return new Image(width, height, rgba);
    }

    private static void unfilter(int filter, byte[] cur, byte[] prev, int bpp, String source, int row)
            throws NerfFormatException {
        for (int i = 0; i < cur.length; i++) {
            int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
            int b = prev[i] & 0xFF;
            int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
            int pred;
            switch (filter) {
                case 0 -> pred = 0;
                case 1 -> pred = a;
                case 2 -> pred = b;
                case 3 -> pred = (a + b) >>> 1;
                case 4 -> {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
                default -> throw new NerfFormatException(source, "IDAT row " + row, "unknown filter type " + filter);
            }
            cur[i] = (byte) (cur[i] + pred);
        }
    }

    /**
     * Encodes an 8-bit RGB PNG from packed {@code 0xAARRGGBB} pixels (alpha ignored), row-major.
     */
    public static byte[] encodeArgb(int[] argb, int width, int height) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(6))) {
                byte[] row = new byte[1 + width * 3];
                for (int y = 0; y < height; y++) {
                    row[0] = 0;
                    for (int x = 0; x < width; x++) {
                        int p = argb[y * width + x];
                        row[1 + x * 3] = (byte) (p >> 16);
                        row[2 + x * 3] = (byte) (p >> 8);
                        row[3 + x * 3] = (byte) p;
                    }
                    z.write(row);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(out);
            d.write(SIGNATURE);
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
            ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(d, "IHDR", ihdr.array());
            chunk(d, "IDAT", raw.toByteArray());
            chunk(d, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory PNG encoding failed", e);
        }
    }

    /** Writes {@link #encodeArgb} to a file. */
    public static void writeArgb(Path file, int[] argb, int width, int height) throws IOException {
        Files.write(file, encodeArgb(argb, width, height));
    }

    /** Packs linear 0..1 RGB floats ({@code 3 * width * height}) into opaque ARGB ints. */
    public static int[] toArgb(float[] rgb) {
        int[] out = new int[rgb.length / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0xFF000000 | (to8(rgb[3 * i]) << 16) | (to8(rgb[3 * i + 1]) << 8) | to8(rgb[3 * i + 2]);
        }
        return out;
    }

    private static int to8(float v) {
        int c = Math.round(v * 255f);
        return c < 0 ? 0 : Math.min(c, 255);
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
