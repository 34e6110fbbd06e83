package org.mlsysworkbench.algorithms.attention;

/**
 * How a model session attends during decode.
 *
 * @param streamingKv   {@code [layers][kvHeads]}: true for a streaming head (sink + local window only)
 * @param sinkTokens    S_sink of streaming heads
 * @param localTokens   W_local of streaming heads
 * @param budgetTokens  KV token budget B of retrieval heads; {@code Integer.MAX_VALUE} reads every page
 * @param pageTokens    physical page N_P
 * @param logicalTokens logical page N_L
 * @param reuseInterval C: pages are reselected when {@code position mod C == 0} and reused in between
 * @param scorer        logical-page scorer
 */
public record SparseAttentionSettings(boolean[][] streamingKv, int sinkTokens, int localTokens, int budgetTokens,
                                      int pageTokens, int logicalTokens, int reuseInterval, PageScorer scorer) {

    public SparseAttentionSettings {
        if (pageTokens <= 0 || logicalTokens <= 0 || pageTokens % logicalTokens != 0) {
            throw new IllegalArgumentException("logical page must divide physical page: " + logicalTokens + " / "
                    + pageTokens);
        }
        if (reuseInterval < 1 || budgetTokens < 1 || localTokens < 1 || sinkTokens < 0) {
            throw new IllegalArgumentException("reuse interval, budget and local window must be positive");
        }
    }

    /** Dense attention: no streaming heads, unlimited budget (every page read, in order). */
    public static SparseAttentionSettings dense(LlamaConfig c, int pageTokens, int logicalTokens) {
        return new SparseAttentionSettings(new boolean[c.layers()][c.kvHeads()], 0, 1, Integer.MAX_VALUE, pageTokens,
                logicalTokens, 1, PageScorer.MIN_MAX);
    }

    /** Number of streaming KV heads. */
    public int streamingHeads() {
        int n = 0;
        for (boolean[] layer : streamingKv) {
            for (boolean s : layer) {
                n += s ? 1 : 0;
            }
        }
        return n;
    }
}
