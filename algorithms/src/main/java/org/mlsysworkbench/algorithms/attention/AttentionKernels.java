package org.mlsysworkbench.algorithms.attention;

/**
 * The kernel contract of the attention bench: what {@link CpuAttentionKernels} implements in plain Java and
 * {@code compute}'s {@code VulkanAttentionKernels} on the GPU. All arrays are float32 / int32, row-major, laid out
 * as documented per method (and in {@link KvLayout}); the same layouts are the std430 buffers of the shaders.
 * Floating results of two implementations agree within 1e-4 (absolute); page ids agree exactly.
 *
 * <p>Implementations may own threads or device memory: whoever creates one closes it.
 */
public interface AttentionKernels extends AutoCloseable {

    /** Short name for reports ("cpu", "vulkan"). */
    String name();

    /**
     * Causal prefill attention of {@code plan.tokens()} queries, visiting exactly the plan's tile lists (a dense
     * plan gives dense causal attention). Scores are scaled by {@code 1/sqrt(dim)}.
     *
     * @param q   {@code [queryHeads][tokens][dim]}
     * @param k   {@code [kvHeads][tokens][dim]}
     * @param v   {@code [kvHeads][tokens][dim]}
     * @param out {@code [queryHeads][tokens][dim]}, overwritten
     * @return tiles visited (equals {@code plan.visitedTiles()})
     */
    long prefill(PrefillPlan plan, float[] q, float[] k, float[] v, float[] out);

    /**
     * Min-max pooling of the keys of sequence tokens {@code 0 .. tokens-1} into per-logical-page channel bounds:
     * {@code kmax_j[i] = max_{t in j} K[t,i]}, {@code kmin_j[i] = min_{t in j} K[t,i]} (the pass after prefill).
     *
     * @param keys       {@code [kvHeads][poolTokens][dim]}
     * @param blockTable sequence page to pool page, {@code ceil(tokens / pageTokens)} entries
     * @param kmin       {@code [kvHeads][poolLogicalPages][dim]}; entries of the touched logical pages overwritten
     * @param kmax       same layout as {@code kmin}
     */
    void pageStats(KvLayout layout, float[] keys, int[] blockTable, int tokens, float[] kmin, float[] kmax);

    /**
     * Hierarchical page scores: per query head {@code h} (reading KV head {@code h / groupSize}) and logical page
     * {@code j}, {@code S_j = sum_i max(q_i * kmax_j[i], q_i * kmin_j[i])}; the physical page score is the max over
     * its logical pages that hold tokens.
     *
     * @param q      {@code [queryHeads][dim]}
     * @param scores {@code [queryHeads][pages]} with {@code pages = ceil(tokens / pageTokens)}, overwritten
     */
    void scorePages(KvLayout layout, float[] q, float[] kmin, float[] kmax, int[] blockTable, int tokens,
                    float[] scores);

    /**
     * Top-K page choice of {@link PageSelection} per query head.
     *
     * @param scores   {@code [queryHeads][pages]}
     * @param selected {@code [queryHeads][stride]}: ascending sequence page ids, newest last
     * @param stride   row length of {@code selected}, at least the returned count
     * @return pages selected per head ({@link PageSelection#selectedCount})
     */
    int selectPages(KvLayout layout, float[] scores, int tokens, int budgetTokens, int[] selected, int stride);

    /**
     * Decode attention of one query per head over listed pages, in list order; the last page of the sequence
     * holds {@code (tokens - 1) mod N_P + 1} tokens. Listing every page gives dense decode attention.
     *
     * @param q      {@code [queryHeads][dim]}
     * @param k      {@code [kvHeads][poolTokens][dim]}
     * @param v      same layout as {@code k}
     * @param pages  {@code [queryHeads][stride]} sequence page ids; the first {@code count} of each row are read
     * @param out    {@code [queryHeads][dim]}, overwritten
     */
    void decode(KvLayout layout, float[] q, float[] k, float[] v, int[] blockTable, int tokens, int[] pages,
                int stride, int count, float[] out);

    /** Releases threads or device memory; idempotent. */
    @Override
    void close();
}
