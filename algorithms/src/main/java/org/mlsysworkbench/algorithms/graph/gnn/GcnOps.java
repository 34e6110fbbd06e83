package org.mlsysworkbench.algorithms.graph.gnn;

import java.util.SplittableRandom;

/**
 * Pieces every hand-written GCN of the graph benches shares: Glorot initialisation, mean softmax
 * cross-entropy over a node subset with its gradient, and accuracy. Logits are row-major [n x classes].
 * Stateless; thread-safe.
 */
public final class GcnOps {

    private GcnOps() {
    }

    /** A rows x cols matrix drawn from U(-l, l), l = sqrt(6 / (rows + cols)), row by row from {@code r}. */
    public static float[] glorot(int rows, int cols, SplittableRandom r) {
        double limit = Math.sqrt(6.0 / (rows + cols));
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
        }
        return w;
    }

    /**
     * Mean cross-entropy of softmax(logits) over {@code nodes}; writes dLoss/dlogits into {@code grad} for those
     * rows (other rows are left untouched). Accumulates in double.
     */
    public static double softmaxCrossEntropy(float[] logits, int classes, int[] labels, int[] nodes, float[] grad) {
        double loss = 0;
        double inv = 1.0 / nodes.length;
        for (int v : nodes) {
            int o = v * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[o + c] - max);
            }
            double logZ = max + Math.log(sum);
            loss -= (logits[o + labels[v]] - logZ) * inv;
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[o + c] - logZ);
                grad[o + c] = (float) ((p - (c == labels[v] ? 1 : 0)) * inv);
            }
        }
        return loss;
    }

    /** Share of {@code nodes} whose argmax logit equals the label. */
    public static double accuracy(float[] logits, int classes, int[] labels, int[] nodes) {
        int correct = 0;
        for (int v : nodes) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[v * classes + c] > logits[v * classes + best]) {
                    best = c;
                }
            }
            correct += best == labels[v] ? 1 : 0;
        }
        return nodes.length == 0 ? 0 : (double) correct / nodes.length;
    }
}
