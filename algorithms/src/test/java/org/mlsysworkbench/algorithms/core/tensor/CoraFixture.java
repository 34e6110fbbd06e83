package org.mlsysworkbench.algorithms.core.tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlsysworkbench.algorithms.testing.TestData;

/**
 * Cora from {@code graph/cora/derived/} (Planetoid order, standard public split) for the tensor tests:
 * GCN-normalised adjacency, row-normalised sparse features, labels, split. A tiny loader on purpose;
 * the graph features have their own store.
 */
final class CoraFixture {

    static final int NODES = 2708;
    static final int FEATURES = 1433;
    static final int CLASSES = 7;

    final CsrMatrix adjacency;
    final CsrMatrix features;
    final int[] labels = new int[NODES];
    final int[] train;
    final int[] val;
    final int[] test;

    private static CoraFixture cached;

    static synchronized CoraFixture load() {
        if (cached == null) {
            cached = new CoraFixture();
        }
        return cached;
    }

    private CoraFixture() {
        List<int[]> edges = rows("graph/cora/derived/cora.edges.tsv", 2);
        int[] src = new int[edges.size()];
        int[] dst = new int[edges.size()];
        for (int i = 0; i < src.length; i++) {
            src[i] = edges.get(i)[0];
            dst[i] = edges.get(i)[1];
        }
        adjacency = CsrMatrix.gcnNormalized(NODES, src, dst);
        List<int[]> coo = rows("graph/cora/derived/cora.features.coo.tsv", 3);
        int[] perRow = new int[NODES];
        for (int[] r : coo) {
            perRow[r[0]]++;
        }
        int[] r = new int[coo.size()];
        int[] c = new int[coo.size()];
        float[] v = new float[coo.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = coo.get(i)[0];
            c[i] = coo.get(i)[1];
            v[i] = coo.get(i)[2] / (float) perRow[r[i]];
        }
        features = CsrMatrix.fromCoo(NODES, FEATURES, r, c, v);
        for (int[] l : rows("graph/cora/derived/cora.labels.tsv", 2)) {
            labels[l[0]] = l[1];
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (String[] f : fields("graph/cora/derived/cora.split.tsv")) {
            int node = Integer.parseInt(f[0]);
            switch (f[1]) {
                case "train": tr.add(node); break;
                case "val": va.add(node); break;
                case "test": te.add(node); break;
                default: break;
            }
        }
        train = tr.stream().mapToInt(Integer::intValue).toArray();
        val = va.stream().mapToInt(Integer::intValue).toArray();
        test = te.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<int[]> rows(String file, int cols) {
        List<int[]> out = new ArrayList<>();
        for (String[] f : fields(file)) {
            int[] r = new int[cols];
            for (int i = 0; i < cols; i++) {
                r[i] = Integer.parseInt(f[i]);
            }
            out.add(r);
        }
        return out;
    }

    private static List<String[]> fields(String file) {
        Path p = TestData.path(file);
        List<String[]> out = new ArrayList<>();
        try (BufferedReader rd = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            for (String line; (line = rd.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    out.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
