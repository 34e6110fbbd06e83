package org.mlsysworkbench.algorithms.graph.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * The graph-level check of A2Q's Nearest Neighbour Strategy: GIN on {@link GraphClassDataset} (2/3 of the
 * graphs for training, the last third held out and never seen in training), trained once in FP32 and once with
 * NNS-quantized features ({@link GraphLevelGin}); the held-out graphs' nodes take (alpha, b) from the learned
 * table. Reports test accuracy of both (final epoch, no model selection) and the average reported bits of the
 * quantized layers' inputs on the held-out graphs.
 */
public final class GraphLevelStudy {

    private static final int BATCH = 32;

    private GraphLevelStudy() {
    }

    /**
     * What the study found.
     *
     * @param fp32TestAcc   FP32 GIN's accuracy on the held-out graphs
     * @param nnsTestAcc    A2Q GIN's accuracy on the held-out graphs, nodes quantized through the NNS table
     * @param nnsAverageBits mean reported bits (round|b_k| - 1) over the held-out nodes of layers 2 and 3
     * @param tableAlpha    layer 2's learned alpha_k
     * @param tableBits     layer 2's learned b_k
     * @param tableQmax     layer 2's qmax_k (paper convention, alpha_k (2^(round|b_k| - 1) - 1))
     * @param assignments   how many held-out nodes of layer 2 chose each group
     */
    public record Result(int trainGraphs, int testGraphs, int groups, boolean degreeBuckets, double fp32TestAcc,
                         double nnsTestAcc, double nnsAverageBits, float[] tableAlpha, float[] tableBits,
                         double[] tableQmax, long[] assignments) {
    }

    public static Result run(A2qConfig.GraphLevel c, long seed, CancellationToken cancel) {
        GraphClassDataset data = GraphClassDataset.generate(c.graphs(), seed);
        int train = c.graphs() * 2 / 3;
        List<GraphClassDataset.Graph> trainSet = data.graphs().subList(0, train);
        List<GraphLevelGin.Batch> test = batches(data.graphs().subList(train, c.graphs()));
        double[] acc = new double[2];
        double[] bits = new double[2];
        long[] assignments = new long[c.groups()];
        GraphLevelGin quantized = null;
        for (int m = 0; m < 2; m++) {
            SplittableRandom r = new SplittableRandom(seed * 31 + 7);
            GraphLevelGin model = new GraphLevelGin(m == 1, c.groups(), c.degreeBuckets(), c.aLoss(), c.targetKb(), r);
            List<GraphClassDataset.Graph> order = new ArrayList<>(trainSet);
            for (int e = 0; e < c.epochs(); e++) {
                cancel.throwIfCancelled();
                shuffle(order, r);
                for (GraphLevelGin.Batch b : batches(order)) {
                    model.trainStep(b);
                }
            }
            int correct = 0;
            for (GraphLevelGin.Batch b : test) {
                correct += model.evaluate(b, bits, m == 1 ? assignments : null);
            }
            acc[m] = (double) correct / (c.graphs() - train);
            if (m == 1) {
                quantized = model;
            }
        }
        NearestNeighborStrategy table = quantized.table(1);
        float[] a = new float[table.groups()];
        float[] b = new float[table.groups()];
        double[] q = new double[table.groups()];
        for (int k = 0; k < a.length; k++) {
            a[k] = table.alpha(k);
            b[k] = table.bits(k);
            q[k] = table.qmax(k);
        }
        return new Result(train, c.graphs() - train, c.groups(), c.degreeBuckets(), acc[0], acc[1],
                bits[1] == 0 ? 0 : bits[0] / bits[1], a, b, q, assignments);
    }

    private static List<GraphLevelGin.Batch> batches(List<GraphClassDataset.Graph> graphs) {
        List<GraphLevelGin.Batch> out = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i += BATCH) {
            out.add(new GraphLevelGin.Batch(graphs.subList(i, Math.min(graphs.size(), i + BATCH))));
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom r) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
