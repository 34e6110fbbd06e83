package org.mlsysworkbench.algorithms.nerf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads float arrays from a NumPy {@code .npz} archive (a ZIP of {@code .npy} v1/v2 entries, little-endian
 * C order, dtypes {@code <f4} and {@code <f8}). Stateless and thread-safe.
 */
public final class NpzReader {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A float array with its shape; doubles are narrowed to float. */
    public record Array(int[] shape, float[] data) {
        public int size(int axis) {
            return shape[axis];
        }
    }

    private NpzReader() {
    }

    /**
     * Reads entry {@code name} (without {@code .npy}) of {@code file}.
     *
     * @throws NerfFormatException when the archive, the entry or its header is not valid; names file and entry
     */
    public static Array read(Path file, String name) throws NerfFormatException {
        String f = file.toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(name + ".npy");
            if (e == null) {
                throw new NerfFormatException(f, name, "entry " + name + ".npy is missing");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(e)) {
                bytes = in.readAllBytes();
            }
            return parseNpy(bytes, f, name);
        } catch (ZipException e) {
            throw new NerfFormatException(f, name, "not a readable npz (ZIP) archive: " + e.getMessage(), e);
        } catch (NerfFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new NerfFormatException(f, name, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses one {@code .npy} byte array; {@code file} and {@code entry} name it in errors. */
    public static Array parseNpy(byte[] bytes, String file, String entry) throws NerfFormatException {
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
            throw new NerfFormatException(file, entry, "expected the .npy magic \\x93NUMPY");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int dataStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            dataStart = 10 + headerLen;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            dataStart = 12 + headerLen;
        } else {
            throw new NerfFormatException(file, entry, "unsupported .npy version " + major);
        }
        if (dataStart > bytes.length || headerLen < 0) {
            throw new NerfFormatException(file, entry, "header length " + headerLen + " exceeds the entry");
        }
        String header = new String(bytes, dataStart - headerLen, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new NerfFormatException(file, entry, "header lacks descr, fortran_order or shape: " + header.trim());
        }
        if (o.group(1).equals("True")) {
            throw new NerfFormatException(file, entry, "expected C order, found fortran_order True");
        }
        String descr = d.group(1);
        int width;
        if (descr.equals("<f4")) {
            width = 4;
        } else if (descr.equals("<f8")) {
            width = 8;
        } else {
            throw new NerfFormatException(file, entry, "expected dtype <f4 or <f8, found " + descr);
        }
        String[] dims = s.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        long total = 1;
        for (String dim : dims) {
            if (dim.isBlank()) {
                continue;
            }
            shape[count] = Integer.parseInt(dim.trim());
            total *= shape[count];
            count++;
        }
        int[] exact = java.util.Arrays.copyOf(shape, count);
        if (total * width != bytes.length - dataStart) {
            throw new NerfFormatException(file, entry, "expected " + total * width + " data bytes for shape "
                    + java.util.Arrays.toString(exact) + ", found " + (bytes.length - dataStart));
        }
        float[] data = new float[(int) total];
        bb.position(dataStart);
        for (int i = 0; i < data.length; i++) {
            data[i] = width == 4 ? bb.getFloat() : (float) bb.getDouble();
        }
        return new Array(exact, data);
    }
}
