package org.mlsysworkbench.algorithms.core.tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads named parameter tensors. File format ("MWBP" version 1), all numbers big-endian
 * ({@link DataOutputStream}):
 * <pre>
 *   bytes  "MWBP"                       magic
 *   int32  1                            format version
 *   int32  count                        number of tensors
 *   count times:
 *     UTF    name                       modified UTF-8 with a uint16 length prefix (DataOutput.writeUTF)
 *     uint8  dtype                      0 = F32, 1 = F64
 *     int32  rank, then rank x int32    shape
 *     size x float32 or float64         elements, row-major
 * </pre>
 * Names must be unique and non-null ({@link Tensor#named(String)}). Stateless; thread-safe.
 */
public final class ParameterIo {

    private static final byte[] MAGIC = {'M', 'W', 'B', 'P'};
    private static final int VERSION = 1;

    private ParameterIo() {
    }

    /** Writes {@code params} (in order) to {@code file}. */
    public static void save(Path file, List<Tensor> params) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os, params);
        }
    }

    /** Writes {@code params} to a stream (not closed). */
    public static void write(OutputStream os, List<Tensor> params) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(params.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Tensor t : params) {
            if (t.name() == null || !seen.add(t.name())) {
                throw new IllegalArgumentException("parameters need unique names (Tensor.named), got " + t);
            }
            out.writeUTF(t.name());
            out.writeByte(t.dtype() == DType.F32 ? 0 : 1);
            int[] s = t.shape();
            out.writeInt(s.length);
            for (int d : s) {
                out.writeInt(d);
            }
            for (int i = 0; i < t.size(); i++) {
                if (t.dtype() == DType.F32) {
                    out.writeFloat((float) t.get(i));
                } else {
                    out.writeDouble(t.get(i));
                }
            }
        }
        out.flush();
    }

    /** Reads every tensor of {@code file}, by name, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file)) {
            return read(is, file.toString());
        }
    }

    /** Reads a parameter stream; {@code source} names it in error messages. */
    public static Map<String, Tensor> read(InputStream is, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is));
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(source + ": not a parameter file (expected magic MWBP)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(source + ": format version " + version + ", expected " + VERSION);
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(source + ": negative tensor count " + count);
            }
            for (int n = 0; n < count; n++) {
                String name = in.readUTF();
                int type = in.readUnsignedByte();
                if (type > 1) {
                    throw new IOException(source + ": tensor '" + name + "': dtype " + type + ", expected 0 or 1");
                }
                int rank = in.readInt();
                if (rank < 0 || rank > 16) {
                    throw new IOException(source + ": tensor '" + name + "': rank " + rank + ", expected 0..16");
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.readInt();
                    size *= shape[i];
                    if (shape[i] < 0 || size > Integer.MAX_VALUE) {
                        throw new IOException(source + ": tensor '" + name + "': bad shape " + Arrays.toString(shape));
                    }
                }
                Tensor t = Tensor.zeros(type == 0 ? DType.F32 : DType.F64, shape).named(name);
                for (int i = 0; i < t.size(); i++) {
                    t.set(i, type == 0 ? in.readFloat() : in.readDouble());
                }
                out.put(name, t);
            }
        } catch (EOFException e) {
            throw new IOException(source + ": truncated after " + out.size() + " tensors", e);
        }
        return out;
    }

    /**
     * Copies the saved values into {@code params} by name; every parameter must be present with the
     * same shape (the dtype may differ).
     */
    public static void loadInto(Path file, List<Tensor> params) throws IOException {
        Map<String, Tensor> saved = load(file);
        for (Tensor p : params) {
            Tensor s = saved.get(p.name());
            if (s == null) {
                throw new IOException(file + ": no tensor named '" + p.name() + "' (has " + saved.keySet() + ")");
            }
            if (!Arrays.equals(s.shape(), p.shape())) {
                throw new IOException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(s.shape())
                        + ", expected " + Arrays.toString(p.shape()));
            }
            p.copyFrom(s);
        }
    }
}
