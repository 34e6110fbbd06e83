package org.mlsysworkbench.algorithms.graph.sampling;

/**
 * Turns one hop's sampled global-id edges into a {@link Block}: destinations get local ids
 * {@code 0 .. numDst - 1} in order, new sources follow. Implementations differ in how (see
 * {@link BaselineIdMapper}, {@link FusedIdMapper}) and may order the new sources differently; the block is
 * the same up to a relabelling of the non-destination sources. Not thread-safe (mappers keep scratch).
 */
public interface IdMapper {

    /** Strategy name for charts and CSV: "baseline" or "fused". */
    String name();

    Block map(HopSample hop);
}
