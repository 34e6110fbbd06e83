package org.mlsysworkbench.algorithms.graph.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * One NumPy {@code .npy} array (format versions 1.0 to 3.0): dtype, shape and raw C-order data.
 * Supported dtypes: {@code i1 u1 b1 i2 i4 i8 u4 f4 f8} (either byte order) and little-endian unicode
 * {@code <U n}. Fortran-order arrays are rejected. Immutable.
 */
public final class NpyArray {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String source;
    private final char kind;
    private final int itemBytes;
    private final long[] shape;
    private final ByteBuffer data;

    private NpyArray(String source, char kind, int itemBytes, long[] shape, ByteBuffer data) {
        this.source = source;
        this.kind = kind;
        this.itemBytes = itemBytes;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Parses a whole {@code .npy} file held in memory.
     *
     * @param source names the array in error messages, e.g. {@code cora.npz[labels.npy]}
     */
    public static NpyArray parse(byte[] bytes, String source) throws GraphFormatException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new GraphFormatException(source, "not a .npy array (magic \\x93NUMPY missing)");
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new GraphFormatException(source, "truncated .npy header");
            }
            headerLen = bb.getInt(8);
            headerStart = 12;
        } else {
            throw new GraphFormatException(source, "unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerStart + (long) headerLen > bytes.length) {
            throw new GraphFormatException(source, "truncated .npy header: " + headerLen + " bytes announced, "
                    + (bytes.length - headerStart) + " present");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new GraphFormatException(source, "malformed .npy header: " + header.trim());
        }
        if ("True".equals(f.group(1))) {
            throw new GraphFormatException(source, "Fortran-order arrays are not supported");
        }
        char order = d.group(1).charAt(0);
        char kind = d.group(2).charAt(0);
        int width = Integer.parseInt(d.group(3));
        int itemBytes = kind == 'U' ? 4 * width : width;
        if ("iubfU".indexOf(kind) < 0 || (kind != 'U' && width != 1 && width != 2 && width != 4 && width != 8)) {
            throw new GraphFormatException(source, "unsupported dtype " + d.group());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException e) {
                    throw new GraphFormatException(source, "malformed shape (" + s.group(1) + ")");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new GraphFormatException(source, "negative dimension in shape (" + s.group(1) + ")");
            }
            count = Math.multiplyExact(count, dim);
        }
        long need = count * itemBytes;
        int dataStart = headerStart + headerLen;
        long have = bytes.length - dataStart;
        if (have < need) {
            throw new GraphFormatException(source, "truncated data: shape (" + s.group(1).trim() + ") needs " + need
                    + " bytes, " + have + " present");
        }
        ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice().order(bo);
        return new NpyArray(source, kind, itemBytes, shape, data);
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long size() {
        long c = 1;
        for (long d : shape) {
            c *= d;
        }
        return c;
    }

    /** dtype kind: 'i', 'u', 'b', 'f' or 'U'. */
    public char kind() {
        return kind;
    }

    /** Requires a given number of dimensions, naming the array otherwise. */
    public NpyArray requireRank(int rank) throws GraphFormatException {
        if (shape.length != rank) {
            throw new GraphFormatException(source, "expected " + rank + " dimensions, shape is "
                    + Arrays.toString(shape));
        }
        return this;
    }

    /** The elements as ints; integer types only, each value must fit in an int. */
    public int[] toIntArray() throws GraphFormatException {
        long n = size();
        if (kind == 'f' || kind == 'U') {
            throw new GraphFormatException(source, "expected an integer array, dtype is " + kind + itemBytes);
        }
        int[] out = new int[(int) n];
        for (int i = 0; i < n; i++) {
            long v = integer(i);
            if (v != (int) v) {
                throw new GraphFormatException(source, "value " + v + " at index " + i + " does not fit in int32");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** The elements as longs; integer types only. */
    public long[] toLongArray() throws GraphFormatException {
        if (kind == 'f' || kind == 'U') {
            throw new GraphFormatException(source, "expected an integer array, dtype is " + kind + itemBytes);
        }
        long[] out = new long[(int) size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(i);
        }
        return out;
    }

    /** The elements as floats (integer types are converted). */
    public float[] toFloatArray() throws GraphFormatException {
        if (kind == 'U') {
            throw new GraphFormatException(source, "expected a numeric array, dtype is unicode");
        }
        float[] out = new float[(int) size()];
        for (int i = 0; i < out.length; i++) {
            if (kind == 'f') {
                out[i] = itemBytes == 4 ? data.getFloat(4 * i) : (float) data.getDouble(8 * i);
            } else {
                out[i] = integer(i);
            }
        }
        return out;
    }

    /** The elements of a unicode array, NUL padding removed. */
    public String[] toStrings() throws GraphFormatException {
        if (kind != 'U') {
            throw new GraphFormatException(source, "expected a unicode array, dtype is " + kind + itemBytes);
        }
        String[] out = new String[(int) size()];
        int width = itemBytes / 4;
        for (int i = 0; i < out.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < width; c++) {
                int cp = data.getInt(i * itemBytes + 4 * c);
                if (cp == 0) {
                    break;
                }
                sb.appendCodePoint(cp);
            }
            out[i] = sb.toString();
        }
        return out;
    }

    private long integer(int i) {
        return switch (itemBytes) {
            case 1 -> kind == 'i' ? data.get(i) : Byte.toUnsignedInt(data.get(i));
            case 2 -> kind == 'i' ? data.getShort(2 * i) : Short.toUnsignedInt(data.getShort(2 * i));
            case 4 -> kind == 'i' ? data.getInt(4 * i) : Integer.toUnsignedLong(data.getInt(4 * i));
            default -> data.getLong(8 * i);
        };
    }
}
