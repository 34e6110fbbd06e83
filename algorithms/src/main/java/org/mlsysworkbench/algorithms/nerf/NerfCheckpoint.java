package org.mlsysworkbench.algorithms.nerf;

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
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * Saves and loads a trained {@link NerfModel} (grids, mask, colour network, render settings) so a scene renders
 * without retraining. Format: gzip of big-endian {@code DataOutput}: magic {@code "SNERF"}, version, then the fields
 * in the order of {@link #write}. Stateless.
 */
public final class NerfCheckpoint {

    static final String MAGIC = "SNERF";
    static final int VERSION = 1;
    private static final int MAX_VOXELS = 512 * 512 * 512;

    private NerfCheckpoint() {
    }

    public static void save(NerfModel m, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(os), 1 << 16))) {
            write(m, out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(NerfModel m, DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        for (int a = 0; a < 3; a++) {
            out.writeFloat(m.boxMin[a]);
            out.writeFloat(m.boxMax[a]);
        }
        out.writeInt(m.nx);
        out.writeInt(m.ny);
        out.writeInt(m.nz);
        out.writeInt(m.channels);
        out.writeFloat(m.shift);
        out.writeFloat(m.stepRatio);
        out.writeFloat(m.densityUnit);
        out.writeFloat(m.colorThreshold);
        out.writeFloat(m.near);
        out.writeFloat(m.far);
        floats(out, m.density);
        floats(out, m.features);
        for (boolean b : m.mask) {
            out.writeBoolean(b);
        }
        ColorNet net = m.net;
        out.writeBoolean(net != null);
        if (net != null) {
            out.writeUTF(net.kind.name());
            out.writeInt(net.hidden);
            out.writeUTF(net.packing.name());
            LifNeuron n = net.neuron;
            out.writeFloat(n.tau());
            out.writeFloat(n.threshold());
            out.writeFloat(n.reset());
            out.writeFloat(n.surrogateAlpha());
            floats(out, net.w1);
            floats(out, net.w2);
            floats(out, net.w3);
        }
    }

    private static void floats(DataOutputStream out, float[] a) throws IOException {
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    /** Loads a checkpoint; a damaged or foreign file gives {@link NerfFormatException} naming file and field. */
    public static NerfModel load(Path file) throws NerfFormatException {
        String f = file.toString();
        String[] field = {"header"};
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(is), 1 << 16))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new NerfFormatException(f, "magic", "expected " + MAGIC);
            }
            field[0] = "version";
            int version = in.readInt();
            if (version != VERSION) {
                throw new NerfFormatException(f, "version", "expected " + VERSION + ", found " + version);
            }
            field[0] = "box";
            float[] min = new float[3];
            float[] max = new float[3];
            for (int a = 0; a < 3; a++) {
                min[a] = in.readFloat();
                max[a] = in.readFloat();
                if (!(max[a] > min[a])) {
                    throw new NerfFormatException(f, "box", "expected max > min on axis " + a);
                }
            }
            field[0] = "dims";
            int nx = in.readInt();
            int ny = in.readInt();
            int nz = in.readInt();
            int ch = in.readInt();
            if (nx < 2 || ny < 2 || nz < 2 || (long) nx * ny * nz > MAX_VOXELS || ch < 1 || ch > 64) {
                throw new NerfFormatException(f, "dims", "expected 2..512 voxels per axis and 1..64 channels, found "
                        + nx + "x" + ny + "x" + nz + "x" + ch);
            }
            field[0] = "settings";
            float shift = in.readFloat();
            float stepRatio = in.readFloat();
            float unit = in.readFloat();
            float thr = in.readFloat();
            float near = in.readFloat();
            float far = in.readFloat();
            int n = nx * ny * nz;
            field[0] = "density";
            float[] density = floats(in, n);
            field[0] = "features";
            float[] features = floats(in, n * ch);
            field[0] = "mask";
            boolean[] mask = new boolean[n];
            for (int i = 0; i < n; i++) {
                mask[i] = in.readBoolean();
            }
            field[0] = "net";
            ColorNet net = null;
            if (in.readBoolean()) {
                ColorNet.Kind kind = parseEnum(ColorNet.Kind.class, in.readUTF(), f, "net.kind");
                int hidden = in.readInt();
                if (hidden < 1 || hidden > 4096) {
                    throw new NerfFormatException(f, "net.hidden", "expected 1..4096, found " + hidden);
                }
                TemporalPacking packing = parseEnum(TemporalPacking.class, in.readUTF(), f, "net.packing");
                LifNeuron neuron = new LifNeuron(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
                int inputs = ch + ColorNet.VIEW_WIDTH;
                field[0] = "net.w1";
                float[] w1 = floats(in, inputs * hidden);
                field[0] = "net.w2";
                float[] w2 = floats(in, hidden * hidden);
                field[0] = "net.w3";
                float[] w3 = floats(in, hidden * 3);
                net = new ColorNet(kind, ch, hidden, neuron, packing, w1, w2, w3);
            }
            return new NerfModel(min, max, nx, ny, nz, ch, density, features, mask, net, shift, stepRatio, unit, thr,
                    near, far);
        } catch (NerfFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new NerfFormatException(f, field[0], "file ends early (truncated checkpoint)", e);
        } catch (ZipException e) {
            throw new NerfFormatException(f, field[0], "not a gzip checkpoint or corrupt: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new NerfFormatException(f, field[0], "unreadable: " + e.getMessage(), e);
        }
    }

    private static float[] floats(DataInputStream in, int n) throws IOException {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String s, String f, String field)
            throws NerfFormatException {
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new NerfFormatException(f, field, "unknown value " + s);
        }
    }
}
