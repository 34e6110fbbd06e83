package org.mlsysworkbench.algorithms.attention;

import java.util.Arrays;

/**
 * The retrieval-head half of LServe's two-way KV cache for one layer: a pool of physical pages of
 * {@code pageTokens} tokens, a per-sequence block table, and per-logical-page channel-wise key statistics
 * (min, max, sum, sum of squares) kept up to date element-wise as each token is appended.
 *
 * <p>Layout ({@link KvLayout}): keys and values {@code [heads][poolPages * pageTokens][dim]} float32; statistics
 * {@code [heads][poolPages * g][dim]} with {@code g = pageTokens / logicalTokens}; the logical page of token
 * {@code t} inside its physical page is {@code (t mod N_P) / N_L}. Pages come from a free list, so the block table
 * is a real indirection. Not thread-safe: one sequence, one writer.
 */
public final class PagedKvCache {

    private final int heads;
    private final int dim;
    private final int pageTokens;
    private final int logicalTokens;
    private final int poolPages;
    final float[] keys;
    final float[] values;
    final float[] kmin;
    final float[] kmax;
    final float[] ksum;
    final float[] ksq;
    private final int[] blockTable;
    private final int[] freeList;
    private int freeCount;
    private int tokens;

    /**
     * @param poolPages physical pages in the pool; appending beyond {@code poolPages * pageTokens} tokens fails
     * @param pageOrder the order in which free pages are handed out (a permutation of {@code 0 .. poolPages-1}),
     *                  or null for ascending order
     */
    public PagedKvCache(int heads, int dim, int pageTokens, int logicalTokens, int poolPages, int[] pageOrder) {
        if (heads < 0 || dim <= 0 || pageTokens <= 0 || logicalTokens <= 0 || pageTokens % logicalTokens != 0
                || poolPages <= 0) {
            throw new IllegalArgumentException("bad cache geometry: heads " + heads + ", dim " + dim + ", pages "
                    + pageTokens + "/" + logicalTokens + ", pool " + poolPages);
        }
        this.heads = heads;
        this.dim = dim;
        this.pageTokens = pageTokens;
        this.logicalTokens = logicalTokens;
        this.poolPages = poolPages;
        long kvFloats = (long) heads * poolPages * pageTokens * dim;
        if (kvFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV pool of " + kvFloats + " floats exceeds one Java array");
        }
        keys = new float[(int) kvFloats];
        values = new float[(int) kvFloats];
        int statFloats = heads * poolPages * (pageTokens / logicalTokens) * dim;
        kmin = new float[statFloats];
        kmax = new float[statFloats];
        ksum = new float[statFloats];
        ksq = new float[statFloats];
        blockTable = new int[poolPages];
        freeList = new int[poolPages];
        for (int i = 0; i < poolPages; i++) {
            // a stack: the page handed out first sits on top
            freeList[poolPages - 1 - i] = pageOrder == null ? i : pageOrder[i];
        }
        freeCount = poolPages;
    }

    /** The layout kernels use to read this cache ({@code queryHeads} = {@code heads * groupSize}). */
    public KvLayout layout(int groupSize) {
        return new KvLayout(Math.max(1, heads) * groupSize, Math.max(1, heads), dim, poolPages * pageTokens,
                pageTokens, logicalTokens);
    }

    /**
     * Appends one token: {@code k} and {@code v} hold {@code heads * dim} floats from their offsets, head-major.
     * Allocates a physical page when the token starts one, then updates the statistics of its logical page.
     *
     * @throws IllegalStateException when the pool has no free page left
     */
    public void append(float[] k, int kOff, float[] v, int vOff) {
        int slotInPage = tokens % pageTokens;
        if (slotInPage == 0) {
            if (freeCount == 0) {
                throw new IllegalStateException("KV pool exhausted: " + poolPages + " pages of " + pageTokens
                        + " tokens hold " + tokens + " tokens");
            }
            blockTable[tokens / pageTokens] = freeList[--freeCount];
        }
        int page = blockTable[tokens / pageTokens];
        int poolTokens = poolPages * pageTokens;
        int g = pageTokens / logicalTokens;
        int logical = page * g + slotInPage / logicalTokens;
        boolean first = slotInPage % logicalTokens == 0;
        for (int h = 0; h < heads; h++) {
            int dst = (h * poolTokens + page * pageTokens + slotInPage) * dim;
            System.arraycopy(k, kOff + h * dim, keys, dst, dim);
            System.arraycopy(v, vOff + h * dim, values, dst, dim);
            int s = (h * poolPages * g + logical) * dim;
            for (int d = 0; d < dim; d++) {
                float x = k[kOff + h * dim + d];
                if (first) {
                    kmin[s + d] = x;
                    kmax[s + d] = x;
                    ksum[s + d] = x;
                    ksq[s + d] = x * x;
                } else {
                    kmin[s + d] = Math.min(kmin[s + d], x);
                    kmax[s + d] = Math.max(kmax[s + d], x);
                    ksum[s + d] += x;
                    ksq[s + d] += x * x;
                }
            }
        }
        tokens++;
    }

    /** Tokens in the sequence. */
    public int tokens() {
        return tokens;
    }

    /** Sequence pages in use: {@code ceil(tokens / pageTokens)}. */
    public int pages() {
        return (tokens + pageTokens - 1) / pageTokens;
    }

    /** The pool page that holds sequence page {@code p}. */
    public int poolPage(int p) {
        if (p < 0 || p >= pages()) {
            throw new IndexOutOfBoundsException("sequence page " + p + " of " + pages());
        }
        return blockTable[p];
    }

    /** A copy of the block table's used part. */
    public int[] blockTable() {
        return Arrays.copyOf(blockTable, pages());
    }

    int[] blockTableArray() {
        return blockTable;
    }

    public int heads() {
        return heads;
    }

    public int dim() {
        return dim;
    }

    public int pageTokens() {
        return pageTokens;
    }

    public int logicalTokens() {
        return logicalTokens;
    }

    public int poolPages() {
        return poolPages;
    }

    /** Offset of token {@code t} (a sequence position) of head {@code h} in {@link #keys}/{@link #values}. */
    public int offset(int h, int t) {
        int page = blockTable[t / pageTokens];
        return (h * poolPages * pageTokens + page * pageTokens + t % pageTokens) * dim;
    }

    /** Channel {@code d} of the key minimum of logical page {@code j} (sequence numbering) of head {@code h}. */
    public float keyMin(int h, int j, int d) {
        return kmin[statOffset(h, j) + d];
    }

    /** Channel {@code d} of the key maximum of logical page {@code j} (sequence numbering) of head {@code h}. */
    public float keyMax(int h, int j, int d) {
        return kmax[statOffset(h, j) + d];
    }

    /** Offset of sequence logical page {@code j} of head {@code h} in the statistics arrays. */
    int statOffset(int h, int j) {
        int g = pageTokens / logicalTokens;
        int page = blockTable[j / g];
        return (h * poolPages * g + page * g + j % g) * dim;
    }

    /** Bytes of keys and values held by the pages in use (float32). */
    public long kvBytesUsed() {
        return 2L * heads * pages() * pageTokens * dim * Float.BYTES;
    }

    /** Bytes of the min/max statistics of the pages in use (float32; mean/std sums not counted). */
    public long statBytesUsed() {
        return 2L * heads * pages() * (pageTokens / logicalTokens) * dim * Float.BYTES;
    }

    /** Bytes the whole pool reserves (keys, values, min/max statistics). */
    public long poolBytes() {
        return 2L * keys.length * Float.BYTES + 2L * kmin.length * Float.BYTES;
    }
}
