package org.mlsysworkbench.algorithms.graph.sampling;

/**
 * The neighbours sampled for one hop, in global ids, before ID mapping: destination {@code i} (global id
 * {@code dst[i]}) received the sources {@code edgeSrc[offsets[i] .. offsets[i + 1])}. Plain arrays, owned by
 * the holder.
 *
 * @param dst      destination global ids, {@code int[numDst]}
 * @param offsets  {@code int[numDst + 1]}, exclusive prefix sum of the per-destination counts
 * @param edgeSrc  sampled source global ids, {@code int[offsets[numDst]]}
 */
public record HopSample(int[] dst, int[] offsets, int[] edgeSrc) {

    public int numDst() {
        return dst.length;
    }

    public int numEdges() {
        return offsets[dst.length];
    }
}
