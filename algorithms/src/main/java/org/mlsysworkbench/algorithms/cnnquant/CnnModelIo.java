package org.mlsysworkbench.algorithms.cnnquant;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Saves and loads {@link SmallCnn} models. Format (big-endian, {@code .cnnq}):
 * <pre>
 *   bytes  "MWBCNN"            magic
 *   int32  1                   format version
 *   int32  x6                  height, width, c1, c2, hidden, classes
 *   float32 x2                 input mean, input std
 *   int32  tensor count
 *   per tensor: UTF-8 name (uint16 length + bytes), int32 rank, int32 dims[rank], float32 data (row-major)
 * </pre>
 * Tensors, in order: {@code conv1.weight [9, c1]}, {@code conv1.bias}, {@code bn1.gamma/beta/mean/var [c1]},
 * {@code conv2.weight [9*c1, c2]}, {@code conv2.bias}, {@code bn2.*}, {@code fc1.weight [c2*h/4*w/4, hidden]},
 * {@code fc1.bias}, {@code fc2.weight [hidden, classes]}, {@code fc2.bias}. Stateless.
 */
public final class CnnModelIo {

    private static final byte[] MAGIC = "MWBCNN".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private CnnModelIo() {
    }

    private record Entry(String name, int[] dims, float[] data) {
    }

    private static List<Entry> entries(SmallCnn m) {
        CnnShape s = m.shape;
        List<Entry> e = new ArrayList<>();
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            String n = CnnShape.LAYER_NAMES[l];
            e.add(new Entry(n + ".weight", new int[] {s.fanIn(l), s.outputs(l)}, m.weights[l]));
            e.add(new Entry(n + ".bias", new int[] {s.outputs(l)}, m.biases[l]));
            if (l < 2) {
                String b = "bn" + (l + 1);
                e.add(new Entry(b + ".gamma", new int[] {s.outputs(l)}, m.bnGamma[l]));
                e.add(new Entry(b + ".beta", new int[] {s.outputs(l)}, m.bnBeta[l]));
                e.add(new Entry(b + ".mean", new int[] {s.outputs(l)}, m.bnMean[l]));
                e.add(new Entry(b + ".var", new int[] {s.outputs(l)}, m.bnVar[l]));
            }
        }
        return e;
    }

    public static void save(SmallCnn m, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            CnnShape s = m.shape;
            for (int v : new int[] {s.height(), s.width(), s.c1(), s.c2(), s.hidden(), s.classes()}) {
                out.writeInt(v);
            }
            out.writeFloat(m.inputMean);
            out.writeFloat(m.inputStd);
            List<Entry> es = entries(m);
            out.writeInt(es.size());
            for (Entry e : es) {
                out.writeUTF(e.name());
                out.writeInt(e.dims().length);
                for (int d : e.dims()) {
                    out.writeInt(d);
                }
                for (float f : e.data()) {
                    out.writeFloat(f);
                }
            }
        }
    }

    /**
     * Loads a model.
     *
     * @param expected the shape the caller needs, or null to accept the file's
     * @throws DataFormatException naming the file and what was expected: wrong magic, another shape than
     *                             {@code expected}, a tensor of the wrong name or dimensions, or a truncated file
     */
    public static SmallCnn load(Path file, CnnShape expected) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(file, "expected a workbench CNN model (magic 'MWBCNN')");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DataFormatException(file, "expected model format version " + VERSION + ", found " + version);
            }
            int[] dims = new int[6];
            for (int i = 0; i < 6; i++) {
                dims[i] = in.readInt();
            }
            CnnShape shape;
            try {
                shape = new CnnShape(dims[0], dims[1], dims[2], dims[3], dims[4], dims[5]);
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, "invalid network shape: " + e.getMessage());
            }
            if (expected != null && !expected.equals(shape)) {
                throw new DataFormatException(file, "expected a network of shape " + describe(expected) + ", found "
                        + describe(shape));
            }
            SmallCnn m = new SmallCnn(shape);
            m.inputMean = in.readFloat();
            m.inputStd = in.readFloat();
            List<Entry> es = entries(m);
            int count = in.readInt();
            if (count != es.size()) {
                throw new DataFormatException(file, "expected " + es.size() + " tensors, found " + count);
            }
            for (Entry e : es) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new DataFormatException(file, "tensor " + name + ": expected rank " + e.dims().length
                            + ", found " + rank);
                }
                int[] d = new int[rank];
                for (int i = 0; i < rank; i++) {
                    d[i] = in.readInt();
                }
                if (!name.equals(e.name()) || !Arrays.equals(d, e.dims())) {
                    throw new DataFormatException(file, "expected tensor " + e.name() + " " + Arrays.toString(e.dims())
                            + ", found " + name + " " + Arrays.toString(d));
                }
                for (int i = 0; i < e.data().length; i++) {
                    e.data()[i] = in.readFloat();
                }
            }
            return m;
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated: the file ends before all tensors were read");
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found");
        }
    }

    static String describe(CnnShape s) {
        return s.height() + "x" + s.width() + " input, conv " + s.c1() + "/" + s.c2() + ", fc " + s.hidden() + ", "
                + s.classes() + " classes";
    }
}
