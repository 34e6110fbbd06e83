package org.mlsysworkbench.algorithms.core.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;
import org.mlsysworkbench.algorithms.testing.TestData;

/**
 * Cora from the graph store ({@code graph/cora/derived/}, Planetoid order, standard public split) in the
 * form the tensor engine trains on: the GCN-normalised adjacency and the row-normalised bag-of-words
 * features as {@link CsrMatrix} (1.3 % dense), labels and split.
 */
final class CoraFixture {

    static final int NODES = 2708;
    static final int FEATURES = 1433;
    static final int CLASSES = 7;

    final CsrMatrix adjacency;
    final CsrMatrix features;
    final int[] labels;
    final int[] train;
    final int[] val;
    final int[] test;

    private static CoraFixture cached;

    static synchronized CoraFixture load() {
        if (cached == null) {
            try {
                cached = new CoraFixture(TsvDatasetLoader.load(TestData.path("graph/cora/derived"), "cora"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    private CoraFixture(LabelledGraph g) {
        CsrGraph graph = g.graph();
        int n = g.numNodes();
        int[] offsets = graph.offsets();
        int[] nbr = graph.indices();
        int[] src = new int[nbr.length];
        for (int v = 0; v < n; v++) {
            for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                src[k] = v;
            }
        }
        adjacency = CsrMatrix.gcnNormalized(n, src, nbr);
        int d = g.featureDim();
        float[] dense = g.features();
        int nnz = 0;
        for (float v : dense) {
            if (v != 0f) {
                nnz++;
            }
        }
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        float[] values = new float[nnz];
        int at = 0;
        for (int v = 0; v < n; v++) {
            double rowSum = 0;
            for (int j = 0; j < d; j++) {
                rowSum += dense[v * d + j];
            }
            for (int j = 0; j < d; j++) {
                float x = dense[v * d + j];
                if (x != 0f) {
                    r[at] = v;
                    c[at] = j;
                    values[at++] = (float) (x / rowSum);
                }
            }
        }
        features = CsrMatrix.fromCoo(n, d, r, c, values);
        labels = g.labels();
        train = g.train();
        val = g.val();
        test = g.test();
    }
}
