package org.mlsysworkbench.algorithms.attention;

/**
 * Shape of a paged key/value store as the kernels see it. Keys and values are float32 arrays laid out
 * {@code [kvHeads][poolTokens][dim]} (row-major; token {@code t} of head {@code h} starts at
 * {@code (h * poolTokens + t) * dim}); the pool is cut into physical pages of {@code pageTokens} tokens, each
 * split into {@code pageTokens / logicalTokens} logical pages. Key statistics are {@code [kvHeads][poolTokens /
 * logicalTokens][dim]}. A block table maps the sequence's page {@code p} to its pool page.
 *
 * @param queryHeads    query heads; query head {@code h} reads key/value head {@code h / (queryHeads / kvHeads)}
 * @param kvHeads       key/value heads
 * @param dim           head dimension
 * @param poolTokens    tokens per head in the pool (a multiple of {@code pageTokens})
 * @param pageTokens    tokens per physical page (N_P)
 * @param logicalTokens tokens per logical page (N_L); divides {@code pageTokens}
 */
public record KvLayout(int queryHeads, int kvHeads, int dim, int poolTokens, int pageTokens, int logicalTokens) {

    public KvLayout {
        if (queryHeads <= 0 || kvHeads <= 0 || queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("queryHeads must be a positive multiple of kvHeads: " + queryHeads
                    + " / " + kvHeads);
        }
        if (dim <= 0 || pageTokens <= 0 || logicalTokens <= 0 || pageTokens % logicalTokens != 0) {
            throw new IllegalArgumentException("logicalTokens must divide pageTokens: " + logicalTokens + " / "
                    + pageTokens);
        }
        if (poolTokens <= 0 || poolTokens % pageTokens != 0) {
            throw new IllegalArgumentException("poolTokens must be a multiple of pageTokens: " + poolTokens);
        }
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return queryHeads / kvHeads;
    }

    /** Logical pages per physical page (g). */
    public int logicalPerPage() {
        return pageTokens / logicalTokens;
    }

    /** Physical pages in the pool. */
    public int poolPages() {
        return poolTokens / pageTokens;
    }

    /** Logical pages per head in the pool. */
    public int poolLogicalPages() {
        return poolTokens / logicalTokens;
    }

    /** Sequence pages that {@code tokens} tokens occupy: {@code ceil(tokens / pageTokens)}. */
    public int pagesFor(int tokens) {
        return (tokens + pageTokens - 1) / pageTokens;
    }

    /** Floats of one key (or value) array: {@code kvHeads * poolTokens * dim}. */
    public long kvFloats() {
        return (long) kvHeads * poolTokens * dim;
    }

    /** Floats of one statistics array (kmin or kmax). */
    public long statFloats() {
        return (long) kvHeads * poolLogicalPages() * dim;
    }
}
