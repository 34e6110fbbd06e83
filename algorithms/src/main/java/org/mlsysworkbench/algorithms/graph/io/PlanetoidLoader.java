package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mlsysworkbench.algorithms.graph.EdgeList;
import org.mlsysworkbench.algorithms.graph.GraphBuilder;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * The original Planetoid release files {@code ind.<name>.{x,y,tx,ty,allx,ally,graph,test.index}} (Python 2
 * pickles of scipy CSR matrices, numpy one-hot arrays and a dict of adjacency lists), read without Python
 * and assembled exactly as Kipf and Welling's {@code load_data} does:
 * <ul>
 *   <li>features and labels are {@code allx} / {@code ally} followed by the test rows, where row {@code r} of
 *       {@code tx} / {@code ty} belongs to node {@code test.index[r]};</li>
 *   <li>train = {@code 0 .. len(y) - 1}, val = the next 500 nodes, test = the sorted {@code test.index};</li>
 *   <li>the graph is the symmetrised dict of lists, without self-loops or duplicates;</li>
 *   <li>an all-zero label row (CiteSeer's isolated test nodes) becomes label -1.</li>
 * </ul>
 */
public final class PlanetoidLoader {

    private PlanetoidLoader() {
    }

    /** Loads {@code dir/ind.<name>.*}. */
    public static LabelledGraph load(Path dir, String name) throws IOException {
        Sparse allx = sparse(read(dir, name, "allx"), file(dir, name, "allx"));
        Sparse tx = sparse(read(dir, name, "tx"), file(dir, name, "tx"));
        Dense ally = dense(read(dir, name, "ally"), file(dir, name, "ally"));
        Dense ty = dense(read(dir, name, "ty"), file(dir, name, "ty"));
        Dense y = dense(read(dir, name, "y"), file(dir, name, "y"));
        Path indexFile = dir.resolve("ind." + name + ".test.index");
        int[] testIndex = readIndex(indexFile);
        if (testIndex.length != tx.rows || ty.rows != tx.rows) {
            throw new GraphFormatException(indexFile.toString(), testIndex.length + " test ids but tx has "
                    + tx.rows + " rows and ty " + ty.rows);
        }
        if (allx.cols != tx.cols || ally.cols != ty.cols || y.cols != ally.cols) {
            throw new GraphFormatException(dir.resolve("ind." + name + ".tx").toString(), "column counts differ: "
                    + "allx " + allx.cols + ", tx " + tx.cols + ", ally " + ally.cols + ", ty " + ty.cols);
        }
        int n = allx.rows;
        for (int t : testIndex) {
            n = Math.max(n, t + 1);
        }
        int d = allx.cols;
        int k = ally.cols;
        float[] x = new float[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        for (int r = 0; r < allx.rows; r++) {
            allx.copyRow(r, x, r * d);
            labels[r] = ally.argmax(r);
        }
        for (int r = 0; r < tx.rows; r++) {
            int v = testIndex[r];
            if (v < allx.rows) {
                throw new GraphFormatException(indexFile.toString(), "test id " + v + " overlaps allx (rows 0.."
                        + (allx.rows - 1) + ")");
            }
            tx.copyRow(r, x, v * d);
            labels[v] = ty.argmax(r);
        }
        Object g = read(dir, name, "graph");
        String gsrc = dir.resolve("ind." + name + ".graph").toString();
        Map<Object, Object> adj = g instanceof PickleReader.PyObject o ? o.items : castMap(g, gsrc);
        EdgeList edges = new EdgeList(1 << 14);
        for (Map.Entry<Object, Object> e : adj.entrySet()) {
            int u = toInt(e.getKey(), gsrc);
            n = Math.max(n, u + 1);
            if (!(e.getValue() instanceof List<?> nbrs)) {
                throw new GraphFormatException(gsrc, "node " + u + ": expected a list of neighbours");
            }
            for (Object w : nbrs) {
                int v = toInt(w, gsrc);
                n = Math.max(n, v + 1);
                edges.add(u, v);
            }
        }
        if (edges.size() == 0) {
            throw new GraphFormatException(gsrc, "empty graph: no adjacency lists");
        }
        if (n > labels.length) {
            x = Arrays.copyOf(x, Math.multiplyExact(n, d));
            int old = labels.length;
            labels = Arrays.copyOf(labels, n);
            Arrays.fill(labels, old, n, -1);
        }
        boolean[] available = new boolean[n];
        for (int v = 0; v < allx.rows; v++) {
            available[v] = true;
        }
        for (int v : testIndex) {
            available[v] = true;
        }
        int[] train = range(0, y.rows);
        int[] val = range(y.rows, Math.min(n, y.rows + 500));
        int[] test = testIndex.clone();
        Arrays.sort(test);
        int[] finalLabels = labels;
        test = Arrays.stream(test).filter(v -> finalLabels[v] >= 0).toArray();
        try {
            return new LabelledGraph(name, new GraphBuilder().symmetrise(true).dropSelfLoops(true).build(edges, n),
                    x, d, available, labels, k, train, val, test);
        } catch (IllegalArgumentException e) {
            throw new GraphFormatException(dir.resolve("ind." + name + ".*").toString(), e.getMessage(), e);
        }
    }

    private static String file(Path dir, String name, String part) {
        return dir.resolve("ind." + name + "." + part).toString();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static Object read(Path dir, String name, String part) throws IOException {
        Path f = dir.resolve("ind." + name + "." + part);
        if (!Files.exists(f)) {
            throw new NoSuchFileException(f.toString());
        }
        return PickleReader.load(Files.readAllBytes(f), f.toString());
    }

    private static int[] readIndex(Path f) throws IOException {
        List<Integer> ids = new ArrayList<>();
        TextTable.read(f, false, (t, fields) -> ids.add(t.nonNegativeInt(fields, 0, "test id")));
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- numpy / scipy objects ----

    /** A row-major dense matrix from a pickled numpy array. */
    private record Dense(int rows, int cols, float[] values) {
        int argmax(int r) {
            int best = -1;
            float bv = 0;
            for (int c = 0; c < cols; c++) {
                if (values[r * cols + c] > bv) {
                    bv = values[r * cols + c];
                    best = c;
                }
            }
            return best;
        }
    }

    /** A CSR matrix from a pickled scipy {@code csr_matrix}. */
    private record Sparse(int rows, int cols, int[] indptr, int[] indices, float[] data) {
        void copyRow(int r, float[] out, int offset) {
            for (int k = indptr[r]; k < indptr[r + 1]; k++) {
                out[offset + indices[k]] = data[k];
            }
        }
    }

    private static Sparse sparse(Object o, String src) throws GraphFormatException {
        if (!(o instanceof PickleReader.PyObject p) || !p.callable.name().equals("csr_matrix")
                || !(p.state instanceof Map<?, ?> state)) {
            throw new GraphFormatException(src, "expected a scipy.sparse csr_matrix");
        }
        List<?> shape = (List<?>) state.get("_shape");
        int rows = toInt(shape.get(0), src);
        int cols = toInt(shape.get(1), src);
        Dense ptr = dense(state.get("indptr"), src + " indptr");
        Dense idx = dense(state.get("indices"), src + " indices");
        Dense data = dense(state.get("data"), src + " data");
        int[] indptr = toInts(ptr.values);
        int[] indices = toInts(idx.values);
        if (indptr.length != rows + 1 || indptr[rows] != indices.length || data.values.length != indices.length) {
            throw new GraphFormatException(src, "inconsistent csr_matrix: " + rows + " rows, indptr "
                    + indptr.length + ", indices " + indices.length + ", data " + data.values.length);
        }
        for (int c : indices) {
            if (c < 0 || c >= cols) {
                throw new GraphFormatException(src, "csr_matrix column " + c + " outside [0, " + cols + ")");
            }
        }
        return new Sparse(rows, cols, indptr, indices, data.values);
    }

    private static int[] toInts(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /** Decodes {@code numpy.core.multiarray._reconstruct} + BUILD state (version, shape, dtype, fortran, raw). */
    private static Dense dense(Object o, String src) throws GraphFormatException {
        if (!(o instanceof PickleReader.PyObject p) || !p.callable.name().equals("_reconstruct")
                || !(p.state instanceof List<?> st) || st.size() < 5) {
            throw new GraphFormatException(src, "expected a numpy array");
        }
        List<?> shape = (List<?>) st.get(1);
        PickleReader.PyObject dtype = (PickleReader.PyObject) st.get(2);
        if (Boolean.TRUE.equals(st.get(3))) {
            throw new GraphFormatException(src, "Fortran-order numpy arrays are not supported");
        }
        String code = (String) dtype.args.get(0);
        String order = dtype.state instanceof List<?> ds && ds.size() > 1 && ds.get(1) instanceof String s ? s : "<";
        int rows = shape.isEmpty() ? 1 : toInt(shape.get(0), src);
        int cols = shape.size() < 2 ? 1 : toInt(shape.get(1), src);
        byte[] raw = ((String) st.get(4)).getBytes(StandardCharsets.ISO_8859_1);
        int width = Integer.parseInt(code.substring(1));
        long count = (long) rows * cols;
        if (raw.length < count * width) {
            throw new GraphFormatException(src, "truncated numpy data: " + raw.length + " bytes for " + count
                    + " values of " + code);
        }
        ByteBuffer bb = ByteBuffer.wrap(raw).order(order.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (code) {
                case "f4" -> bb.getFloat(4 * i);
                case "f8" -> (float) bb.getDouble(8 * i);
                case "i4" -> bb.getInt(4 * i);
                case "i8" -> bb.getLong(8 * i);
                case "b1", "u1" -> bb.get(i) & 0xff;
                default -> throw new GraphFormatException(src, "unsupported numpy dtype " + code);
            };
        }
        return new Dense(rows, cols, v);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castMap(Object o, String src) throws GraphFormatException {
        if (!(o instanceof Map<?, ?>)) {
            throw new GraphFormatException(src, "expected a dict of adjacency lists");
        }
        return (Map<Object, Object>) o;
    }

    private static int toInt(Object o, String src) throws GraphFormatException {
        if (!(o instanceof Long l) || l < 0 || l > Integer.MAX_VALUE - 1) {
            throw new GraphFormatException(src, "expected a non-negative int id, got " + o);
        }
        return (int) (long) l;
    }
}
