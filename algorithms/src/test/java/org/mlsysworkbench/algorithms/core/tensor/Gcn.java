package org.mlsysworkbench.algorithms.core.tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The two-layer GCN of Kipf and Welling: {@code log_softmax(A relu(A X W1) W2)} with dropout on the
 * hidden layer, X sparse (CSR): the first layer is a sparse-dense product.
 */
final class Gcn {

    final Tensor w1;
    final Tensor w2;

    Gcn(DType dtype, SplittableRandom rnd, int in, int hidden, int classes) {
        w1 = Tensor.glorot(dtype, rnd, in, hidden).named("w1");
        w2 = Tensor.glorot(dtype, rnd, hidden, classes).named("w2");
    }

    List<Tensor> params() {
        return List.of(w1, w2);
    }

    /** Logits [N, C]; dropout on the sparse input and on the hidden layer, as in the paper. */
    Tensor forward(CsrMatrix adj, CsrMatrix x, double dropout, SplittableRandom rnd, boolean training) {
        CsrMatrix in = training && dropout > 0 ? x.dropout(dropout, rnd) : x;
        Tensor h = Ops.relu(adj.matmul(in.matmul(w1)));
        h = Nn.dropout(h, dropout, rnd, training);
        return adj.matmul(Ops.matmul(h, w2));
    }

    static double accuracy(Tensor logits, int[] labels, int[] rows) {
        int c = logits.dim(1);
        int ok = 0;
        for (int r : rows) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (logits.get(r * c + j) > logits.get(r * c + best)) {
                    best = j;
                }
            }
            if (best == labels[r]) {
                ok++;
            }
        }
        return (double) ok / rows.length;
    }
}
