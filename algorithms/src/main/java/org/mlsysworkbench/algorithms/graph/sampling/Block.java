package org.mlsysworkbench.algorithms.graph.sampling;

/**
 * One message-flow block of a sampled batch (DGL's {@code to_block}): a bipartite graph from {@code numSrc}
 * source nodes to {@code numDst} destination nodes, in local ids. Local ids {@code 0 .. numDst - 1} are the
 * destinations, in their given order; the sources are the destinations followed by the newly discovered
 * neighbours, so {@code srcNodes[0 .. numDst)} equals the destination list. Destination {@code i} aggregates
 * from the local sources {@code srcLocal[offsets[i] .. offsets[i + 1])}.
 *
 * @param numDst    destination count
 * @param srcNodes  global id of every local source id, {@code int[numSrc]}; the next hop's destinations
 * @param offsets   {@code int[numDst + 1]}
 * @param srcLocal  local source id of each edge, {@code int[offsets[numDst]]}
 */
public record Block(int numDst, int[] srcNodes, int[] offsets, int[] srcLocal) {

    public int numSrc() {
        return srcNodes.length;
    }

    public int numEdges() {
        return offsets[numDst];
    }

    /** Global id of destination {@code i}. */
    public int dstGlobal(int i) {
        return srcNodes[i];
    }

    /** Block-local in-degree of destination {@code i}. */
    public int degree(int i) {
        return offsets[i + 1] - offsets[i];
    }
}
