package org.mlsysworkbench.algorithms.graph.sampling;

import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * The sampling bench's kernel contract (DESIGN.md): neighbour sampling, FastGL's fused ID map and the
 * memory-aware mean aggregation. {@link CpuSamplingKernels} is the reference ("CPU twin"); the Vulkan
 * module implements the same contract, and parity tests compare them: sampled edges exactly (the random
 * draws come from {@link CounterRng}, a function of seed, node and slot), ID maps as bijections (new
 * sources may be numbered in another order), aggregation within 1e-5 relative error.
 *
 * <p>Implementations may keep per-graph device state (keyed by the graph's identity) and must be used from
 * one thread at a time.
 */
public interface SamplingKernels {

    /**
     * Samples the in-neighbours of every destination, uniformly: without replacement each destination gets
     * {@code min(fanout, degree)} distinct neighbours (Floyd's algorithm over row positions); with
     * replacement exactly {@code fanout} draws when the degree is positive. {@code fanout = -1} takes every
     * neighbour. Within a destination, sources appear in draw order (all-neighbour rows in row order).
     *
     * @param seed 32-bit hop seed ({@link CounterRng#hopSeed})
     */
    HopSample sampleHop(CsrGraph g, int[] dst, int fanout, boolean replace, int seed);

    /** FastGL's fused ID map (see {@link FusedIdMapper}). */
    Block fusedMap(HopSample hop);

    /**
     * Mean aggregation over a block: {@code out[i][c] = (1 / deg_i) * sum_{e in row i} x[srcLocal[e]][c]},
     * or {@code x[i][c]} (the destination's own row) when destination {@code i} has no sampled neighbour.
     * {@code x} is row-major {@code float[numSrc * dim]}, {@code out} is {@code float[numDst * dim]}.
     */
    void aggregateMean(Block block, float[] x, int dim, float[] out);
}
