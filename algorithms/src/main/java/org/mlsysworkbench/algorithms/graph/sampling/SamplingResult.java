package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.List;

/**
 * What one sampling run produced, for the GUI (the files in the run folder are the durable result).
 *
 * @param datasetSummary    one line: name, nodes, edges, features, classes
 * @param degreeHistogram   {@code [d] = nodes of degree d}
 * @param epochPhaseMs      {@code [epoch][phase]} wall milliseconds, phases in {@link PhaseClock.Phase} order
 * @param epochMs           measured wall time of each epoch (independent of the phase laps)
 * @param batches           per-batch feature movement of the last epoch, in execution order
 * @param overlapBefore     {@code M[i][j]} of the first epoch's batches in sampled order
 * @param overlapAfter      the same matrix in the greedy chain's order
 * @param chain             the greedy chain (batch indices in sampled order)
 * @param meanOverlapBefore mean overlap of consecutive batches before reordering
 * @param meanOverlapAfter  ... after
 * @param bytesPlain        host-to-device feature bytes of the first epoch with the static cache only
 * @param bytesMatch        ... with cache and match, sampled order
 * @param bytesMatchReorder ... with cache, match and reorder
 * @param bytesNaive        ... with nothing reused (every row crosses the bus)
 * @param hops              per hop of the first batch (root first): destinations, sources, edges
 * @param tree              computation tree of the first batch's first seed: edges (hop, parent, child), global
 *                          ids, capped at 300
 * @param trainLoss         per epoch (empty without training)
 * @param valAccuracy       per epoch
 * @param testAccuracy      per epoch
 * @param finalTestAccuracy test accuracy after the last epoch, NaN without training
 * @param sampledEdgesPerS  per epoch: sampled edges over the epoch's sample + ID-map seconds (measured)
 * @param trainSeedsPerS    per epoch: training seeds over the epoch's wall seconds (measured)
 */
public record SamplingResult(String datasetSummary, long[] degreeHistogram, double[][] epochPhaseMs, double[] epochMs,
                             List<FeatureLoader.Stats> batches, double[][] overlapBefore, double[][] overlapAfter,
                             int[] chain, double meanOverlapBefore, double meanOverlapAfter, long bytesPlain,
                             long bytesMatch, long bytesMatchReorder, long bytesNaive, List<int[]> hops,
                             List<int[]> tree, double[] trainLoss, double[] valAccuracy, double[] testAccuracy,
                             double finalTestAccuracy, double[] sampledEdgesPerS, double[] trainSeedsPerS) {

    public SamplingResult {
        batches = List.copyOf(batches);
        hops = List.copyOf(hops);
        tree = List.copyOf(tree);
    }

    /** Bytes the run's own setting moved in the first epoch (match / reorder as configured). */
    public long bytesConfigured(boolean match, boolean reorder) {
        return !match ? bytesPlain : reorder ? bytesMatchReorder : bytesMatch;
    }
}
