package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.nio.file.Path;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.EdgeList;
import org.mlsysworkbench.algorithms.graph.GraphBuilder;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * The gnn-benchmark {@code .npz} layout (Shchur et al.; {@code shared/data/graph/cora/gnn-benchmark/}):
 * CSR adjacency {@code adj_data/adj_indices/adj_indptr/adj_shape}, CSR features {@code attr_*}, optional
 * {@code labels}. The adjacency is directed (row = cited, column = citing); the loader symmetrises it and
 * drops self-loops. The file has no split, so a Planetoid-style random split is drawn from {@code seed}.
 */
public final class GnnBenchmarkLoader {

    private GnnBenchmarkLoader() {
    }

    /** Only the graph (symmetrised): for structure-only work. */
    public static CsrGraph loadGraph(Path file) throws IOException {
        NpzFile npz = NpzFile.read(file);
        return readAdjacency(npz);
    }

    /** Graph, dense features, labels and a 20-per-class / 500 / 1000 split drawn from {@code seed}. */
    public static LabelledGraph load(Path file, long seed) throws IOException {
        NpzFile npz = NpzFile.read(file);
        CsrGraph g = readAdjacency(npz);
        int n = g.numNodes();
        long[] fshape = npz.get("attr_shape").toLongArray();
        String fsrc = npz.fileName() + "[attr_shape.npy]";
        if (fshape.length != 2 || fshape[0] != n || fshape[1] <= 0 || fshape[1] > Integer.MAX_VALUE) {
            throw new GraphFormatException(fsrc, "expected (" + n + ", D) with D > 0, got "
                    + java.util.Arrays.toString(fshape));
        }
        int d = (int) fshape[1];
        int[] fptr = npz.get("attr_indptr").toIntArray();
        int[] fidx = npz.get("attr_indices").toIntArray();
        float[] fval = npz.has("attr_data") ? npz.get("attr_data").toFloatArray() : null;
        checkCsr(npz.fileName(), "attr", fptr, fidx, n, d);
        if (fval != null && fval.length != fidx.length) {
            throw new GraphFormatException(npz.fileName() + "[attr_data.npy]", "expected " + fidx.length
                    + " values (one per attr_indices entry), got " + fval.length);
        }
        float[] x = new float[Math.multiplyExact(n, d)];
        boolean[] available = new boolean[n];
        for (int v = 0; v < n; v++) {
            available[v] = true;
            for (int k = fptr[v]; k < fptr[v + 1]; k++) {
                x[v * d + fidx[k]] = fval == null ? 1f : fval[k];
            }
        }
        int[] labels = npz.get("labels").toIntArray();
        if (labels.length != n) {
            throw new GraphFormatException(npz.fileName() + "[labels.npy]", "expected " + n + " labels, got "
                    + labels.length);
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < -1) {
                throw new GraphFormatException(npz.fileName() + "[labels.npy]", "label " + labels[i]
                        + " at index " + i + " is negative");
            }
            k = Math.max(k, labels[i] + 1);
        }
        int[][] split = Splits.planetoidStyle(labels, k, 20, 500, 1000, seed);
        String name = file.getFileName().toString().replaceFirst("\\.npz$", "");
        return new LabelledGraph(name, g, x, d, available, labels, k, split[0], split[1], split[2]);
    }

    private static CsrGraph readAdjacency(NpzFile npz) throws GraphFormatException {
        long[] shape = npz.get("adj_shape").toLongArray();
        if (shape.length != 2 || shape[0] != shape[1] || shape[0] <= 0 || shape[0] > Integer.MAX_VALUE - 1) {
            throw new GraphFormatException(npz.fileName() + "[adj_shape.npy]", "expected a square (N, N) shape "
                    + "with N > 0, got " + java.util.Arrays.toString(shape) + (shape.length == 2 && shape[0] == 0
                    ? " (empty graph)" : ""));
        }
        int n = (int) shape[0];
        int[] ptr = npz.get("adj_indptr").toIntArray();
        int[] idx = npz.get("adj_indices").toIntArray();
        checkCsr(npz.fileName(), "adj", ptr, idx, n, n);
        if (idx.length == 0) {
            throw new GraphFormatException(npz.fileName() + "[adj_indices.npy]", "empty graph: no edges");
        }
        EdgeList edges = new EdgeList(idx.length);
        for (int r = 0; r < n; r++) {
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                edges.add(r, idx[k]);
            }
        }
        return new GraphBuilder().symmetrise(true).dropSelfLoops(true).build(edges, n);
    }

    private static void checkCsr(String file, String prefix, int[] ptr, int[] idx, int rows, int cols)
            throws GraphFormatException {
        String p = file + "[" + prefix + "_indptr.npy]";
        if (ptr.length != rows + 1) {
            throw new GraphFormatException(p, "expected " + (rows + 1) + " entries, got " + ptr.length);
        }
        if (ptr[0] != 0 || ptr[rows] != idx.length) {
            throw new GraphFormatException(p, "expected to run from 0 to " + idx.length + " (the length of "
                    + prefix + "_indices), runs from " + ptr[0] + " to " + ptr[rows]);
        }
        for (int r = 0; r < rows; r++) {
            if (ptr[r + 1] < ptr[r]) {
                throw new GraphFormatException(p, "decreases at row " + r);
            }
        }
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= cols) {
                throw new GraphFormatException(file + "[" + prefix + "_indices.npy]", "index " + idx[k]
                        + " at position " + k + " out of range [0, " + cols + ")");
            }
        }
    }
}
