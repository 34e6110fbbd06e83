package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.List;

/**
 * A sampled mini-batch: the seeds and one {@link Block} per GNN layer, ordered as the layers run, leaf
 * (input) first: {@code blocks.get(0)} consumes the input features of {@link #inputNodes()}, the last block
 * produces the seeds' outputs (DGL's order).
 */
public record SampledBatch(int[] seeds, List<Block> blocks) {

    public SampledBatch {
        blocks = List.copyOf(blocks);
    }

    /** Global ids whose input features the batch needs: the first block's sources (seeds first). */
    public int[] inputNodes() {
        return blocks.get(0).srcNodes();
    }

    /** Sampled edges over all blocks. */
    public long numEdges() {
        long e = 0;
        for (Block b : blocks) {
            e += b.numEdges();
        }
        return e;
    }
}
