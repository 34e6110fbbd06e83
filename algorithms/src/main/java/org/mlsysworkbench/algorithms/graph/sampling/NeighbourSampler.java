package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * k-hop uniform neighbour sampling producing message-flow blocks, with DGL's semantics
 * ({@code MultiLayerNeighborSampler(fanouts, replace)} followed by {@code to_block}): fanouts are listed
 * <b>leaf to root</b>, so the <em>last</em> fanout applies to the seeds, the first to the outermost hop.
 * Each hop samples in-neighbours of the current frontier ({@link SamplingKernels#sampleHop}), maps ids
 * ({@link IdMapper}) and uses the block's sources as the next frontier. Random draws depend on
 * (run seed, batch number, hop, node, slot) only. Not thread-safe (the mapper keeps scratch).
 */
public final class NeighbourSampler {

    /** Largest accepted fanout; larger values are almost certainly typos (use -1 for "all"). */
    public static final int MAX_FANOUT = 4096;

    private final CsrGraph graph;
    private final int[] fanouts;
    private final boolean replace;
    private final SamplingKernels kernels;
    private final IdMapper mapper;

    /**
     * @param fanouts leaf to root; each in {@code [1, MAX_FANOUT]} or -1 for every neighbour
     * @param mapper  the ID-mapping strategy; null uses the kernels' fused map
     */
    public NeighbourSampler(CsrGraph graph, int[] fanouts, boolean replace, SamplingKernels kernels,
                            IdMapper mapper) {
        checkFanouts(fanouts);
        this.graph = graph;
        this.fanouts = fanouts.clone();
        this.replace = replace;
        this.kernels = kernels;
        this.mapper = mapper;
    }

    /** Throws {@link IllegalArgumentException} naming the bad entry. */
    public static void checkFanouts(int[] fanouts) {
        if (fanouts.length == 0) {
            throw new IllegalArgumentException("fanouts: expected at least one hop");
        }
        for (int i = 0; i < fanouts.length; i++) {
            int f = fanouts[i];
            if (f != -1 && (f < 1 || f > MAX_FANOUT)) {
                throw new IllegalArgumentException("fanouts[" + i + "]: expected 1.." + MAX_FANOUT
                        + " or -1 (all neighbours), got " + f);
            }
        }
    }

    public int numLayers() {
        return fanouts.length;
    }

    /**
     * Samples the blocks for {@code seeds} (distinct node ids).
     *
     * @param runSeed the run's seed
     * @param batch   a number unique to this batch within the run (epoch * batches + index)
     * @param clock   charged with SAMPLE and ID_MAP laps; may be null
     */
    public SampledBatch sample(int[] seeds, long runSeed, long batch, PhaseClock clock) {
        for (int s : seeds) {
            if (s < 0 || s >= graph.numNodes()) {
                throw new IllegalArgumentException("seed " + s + " outside [0, " + graph.numNodes() + ")");
            }
        }
        List<Block> blocks = new ArrayList<>(fanouts.length);
        int[] frontier = seeds;
        for (int hop = 0; hop < fanouts.length; hop++) {
            int fanout = fanouts[fanouts.length - 1 - hop];
            HopSample h = kernels.sampleHop(graph, frontier, fanout, replace, CounterRng.hopSeed(runSeed, batch, hop));
            if (clock != null) {
                clock.lap(PhaseClock.Phase.SAMPLE);
            }
            Block b = mapper == null ? kernels.fusedMap(h) : mapper.map(h);
            if (clock != null) {
                clock.lap(PhaseClock.Phase.ID_MAP);
            }
            blocks.add(b);
            frontier = b.srcNodes();
        }
        Collections.reverse(blocks);
        return new SampledBatch(seeds.clone(), blocks);
    }

    @Override
    public String toString() {
        return "NeighbourSampler[fanouts " + Arrays.toString(fanouts) + " leaf->root, "
                + (replace ? "with" : "without") + " replacement]";
    }
}
