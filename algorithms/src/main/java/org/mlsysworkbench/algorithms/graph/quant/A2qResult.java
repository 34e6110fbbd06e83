package org.mlsysworkbench.algorithms.graph.quant;

import java.util.List;

/**
 * What the A2Q bench found.
 *
 * @param schemes     one row per scheme (FP32, A2Q, uniform k-bit, DQ INTk), means over seeds
 * @param nodeDegree  in-degree per node
 * @param nodeBits    A2Q's reported bits per node (first seed)
 * @param nodeAlpha   A2Q's learned step per node (first seed)
 * @param nodeMaxAbs  max_j |x_ij| of layer 2's input per node (first seed, FP32 model)
 * @param spearman    rank correlation between in-degree and A2Q bits (first seed)
 * @param sweep       accuracy-vs-bits points of A2Q at other memory targets (first seed)
 * @param a2qCurve    per-epoch (loss, val acc, avg bits) of A2Q's first seed
 * @param model       "gcn" or "gin"
 * @param sample      a connected sample of up to 600 nodes with a force-directed layout (for the bits graph view)
 * @param graphLevel  the graph-level NNS study, or null when the config has none
 * @param nodeLabels  class per node (-1 unknown), for colouring per-node plots
 */
public record A2qResult(String dataset, int nodes, List<SchemeRow> schemes, int[] nodeDegree, int[] nodeBits,
                        float[] nodeAlpha, double spearman, List<SweepPoint> sweep, double[][] a2qCurve, String model,
                        GraphSample sample, GraphLevelStudy.Result graphLevel, int[] nodeLabels) {

    /**
     * One scheme's outcome.
     *
     * @param valSelectedAcc   mean test accuracy at the best-validation epoch
     * @param valSelectedSd    its standard deviation over seeds
     * @param bestTestAcc      mean of the best test accuracy over epochs (the paper's rule)
     * @param averageBits      mean reported feature bits
     * @param compression      32 / averageBits
     * @param totalCompression (FP32 features + weights) / (quantized features + weights + step/bit overheads)
     * @param featureKb        layer 2's input at the average bits: bits * nodes * hidden / 8 / 1024
     * @param modelKb          weights at their bits plus per-channel steps (32 bit) and, for A2Q, per-node alpha
     *                         (32 bit) and b (8 bit), in KB
     */
    public record SchemeRow(String name, double valSelectedAcc, double valSelectedSd, double bestTestAcc,
                            double averageBits, double compression, double totalCompression, double featureKb,
                            double modelKb) {
    }

    /** One point of the accuracy-vs-bits sweep. */
    public record SweepPoint(double targetKb, double averageBits, double valSelectedAcc) {
    }

    public A2qResult {
        schemes = List.copyOf(schemes);
        sweep = List.copyOf(sweep);
    }

    /** The row of a scheme by name ("FP32", "A2Q", "uniform 2-bit", "DQ INT4"), or null. */
    public SchemeRow scheme(String name) {
        return schemes.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
