package org.mlsysworkbench.algorithms.attention;

/**
 * The header of a llama2.c checkpoint: the model's geometry.
 *
 * @param dim              residual width
 * @param hiddenDim        SwiGLU hidden width
 * @param layers           transformer blocks
 * @param heads            query heads
 * @param kvHeads          key/value heads (grouped-query attention when fewer than {@code heads})
 * @param vocabSize        token ids 0 .. vocabSize-1
 * @param seqLen           maximum context in tokens
 * @param sharedClassifier true when the output classifier reuses the token embedding (positive vocab_size in
 *                         the file); false when a separate {@code wcls} tensor follows
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                          boolean sharedClassifier) {

    /** Dimensions per head: {@code dim / heads}. */
    public int headSize() {
        return dim / heads;
    }

    /** Width of the key and value projections: {@code kvHeads * headSize}. */
    public int kvDim() {
        return kvHeads * headSize();
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Number of float32 values the weights after the header hold. */
    public long weightFloats() {
        long d = dim;
        long l = layers;
        long kv = kvDim();
        long hs = headSize();
        long total = vocabSize * d + l * d + l * d * d + 2 * l * kv * d + l * d * d + l * d
                + 3 * l * hiddenDim * d + d + 2L * seqLen * (hs / 2);
        return sharedClassifier ? total : total + vocabSize * d;
    }
}
