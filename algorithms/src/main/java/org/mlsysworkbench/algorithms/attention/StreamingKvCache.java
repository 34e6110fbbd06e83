package org.mlsysworkbench.algorithms.attention;

/**
 * The streaming-head half of the two-way KV cache: attention-sink pages plus a ring of local pages, so memory
 * stays constant however long the sequence grows. Sequence page {@code p} lives in slot
 * {@code p} if {@code p < sinkPages}, else {@code sinkPages + (p - sinkPages) mod localPages}, with
 * {@code sinkPages = ceil(S_sink / N_P)} and {@code localPages = ceil(W_local / N_P) + 1} (the paper's sheet).
 * Visibility is token-exact: key {@code j} is visible to query {@code i} iff {@code j <= i} and
 * ({@code j < S_sink} or {@code i - j < W_local}).
 *
 * <p>Layout: keys and values {@code [heads][slots * pageTokens][dim]} float32. Not thread-safe.
 */
public final class StreamingKvCache {

    private final int heads;
    private final int dim;
    private final int sinkTokens;
    private final int localTokens;
    private final int pageTokens;
    private final int sinkPages;
    private final int localPages;
    private final int slotTokens;
    final float[] keys;
    final float[] values;
    private int tokens;

    public StreamingKvCache(int heads, int dim, int sinkTokens, int localTokens, int pageTokens) {
        if (heads < 0 || dim <= 0 || sinkTokens < 0 || localTokens <= 0 || pageTokens <= 0) {
            throw new IllegalArgumentException("bad streaming cache geometry");
        }
        this.heads = heads;
        this.dim = dim;
        this.sinkTokens = sinkTokens;
        this.localTokens = localTokens;
        this.pageTokens = pageTokens;
        this.sinkPages = (sinkTokens + pageTokens - 1) / pageTokens;
        this.localPages = (localTokens + pageTokens - 1) / pageTokens + 1;
        this.slotTokens = (sinkPages + localPages) * pageTokens;
        keys = new float[heads * slotTokens * dim];
        values = new float[heads * slotTokens * dim];
    }

    /** The ring slot of sequence page {@code p}. */
    public int slot(int p) {
        return p < sinkPages ? p : sinkPages + (p - sinkPages) % localPages;
    }

    /** Appends one token; {@code k} and {@code v} hold {@code heads * dim} floats, head-major. */
    public void append(float[] k, int kOff, float[] v, int vOff) {
        int row = slot(tokens / pageTokens) * pageTokens + tokens % pageTokens;
        for (int h = 0; h < heads; h++) {
            int dst = (h * slotTokens + row) * dim;
            System.arraycopy(k, kOff + h * dim, keys, dst, dim);
            System.arraycopy(v, vOff + h * dim, values, dst, dim);
        }
        tokens++;
    }

    /** Whether key {@code j} is visible to query {@code i} (token-exact streaming mask). */
    public static boolean visible(int i, int j, int sinkTokens, int localTokens) {
        return j <= i && (j < sinkTokens || i - j < localTokens);
    }

    /**
     * Attention of one query of head {@code h} at the newest position over the sink and local tokens.
     *
     * @param state   scratch {@code [m, l]}
     * @param acc     scratch of {@code dim} floats
     * @param scratch scratch of {@code pageTokens} floats
     */
    public void attend(int h, float[] q, int qOff, float scale, float[] out, int outOff, float[] state, float[] acc,
                       float[] scratch) {
        state[0] = Float.NEGATIVE_INFINITY;
        state[1] = 0f;
        java.util.Arrays.fill(acc, 0, dim, 0f);
        int pos = tokens - 1;
        int sinkEnd = Math.min(sinkTokens, tokens);
        int localStart = Math.max(sinkEnd, pos - localTokens + 1);
        int base = h * slotTokens * dim;
        foldRange(q, qOff, base, 0, sinkEnd, scale, state, acc, scratch);
        foldRange(q, qOff, base, localStart, tokens, scale, state, acc, scratch);
        AttentionMath.finish(state, acc, 0, out, outOff, dim);
    }

    private void foldRange(float[] q, int qOff, int base, int from, int to, float scale, float[] state, float[] acc,
                           float[] scratch) {
        int t = from;
        while (t < to) {
            int pageEnd = Math.min(to, (t / pageTokens + 1) * pageTokens);
            int row = slot(t / pageTokens) * pageTokens;
            int first = t % pageTokens;
            AttentionMath.foldKeys(q, qOff, keys, values, base + row * dim, dim, first, first + (pageEnd - t),
                    scale, state, acc, 0, scratch);
            t = pageEnd;
        }
    }

    public int tokens() {
        return tokens;
    }

    public int sinkPages() {
        return sinkPages;
    }

    public int localPages() {
        return localPages;
    }

    /** Bytes of keys and values the ring reserves (float32): constant in the sequence length. */
    public long kvBytes() {
        return 2L * keys.length * Float.BYTES;
    }
}
