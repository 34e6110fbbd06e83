package org.mlsysworkbench.algorithms.attention;

import java.util.Arrays;

/**
 * The iteration lists of LServe's unified block-sparse prefill (Paper section 3.4): for every (query head, query
 * tile) the ascending list of key tiles to visit. Dense heads visit every causal tile; streaming heads visit only
 * the tiles that hold a sink or local-window key of some query in the tile, and mask token-exactly inside them.
 * The kernel never branches over skipped tiles. Head types are given per KV head and repeated across the query heads
 * of each group (GQA-aware). Immutable and thread-safe.
 *
 * <p>Realised sparsity {@code r = 1 - visited / denseCausalTiles}; ideal speedup {@code 1 / (1 - r)}.
 */
public final class PrefillPlan {

    /** What a tile is for one head, for the tile map. */
    public enum TileKind {
        /** above the diagonal: never part of causal attention */
        MASKED,
        /** visited by a dense (retrieval) head */
        DENSE,
        /** visited by a streaming head (sink or local tile) */
        STREAMING,
        /** causal, but skipped by a streaming head */
        SKIPPED
    }

    private final int tokens;
    private final int queryHeads;
    private final int kvHeads;
    private final int dim;
    private final int tileQ;
    private final int tileK;
    private final boolean[] streamingKv;
    private final int sinkTokens;
    private final int localTokens;
    private final int[] listStart;
    private final int[] tiles;

    private PrefillPlan(int tokens, int queryHeads, int kvHeads, int dim, int tileQ, int tileK, boolean[] streamingKv,
                        int sinkTokens, int localTokens) {
        this.tokens = tokens;
        this.queryHeads = queryHeads;
        this.kvHeads = kvHeads;
        this.dim = dim;
        this.tileQ = tileQ;
        this.tileK = tileK;
        this.streamingKv = streamingKv.clone();
        this.sinkTokens = sinkTokens;
        this.localTokens = localTokens;
        int nq = queryTiles();
        listStart = new int[queryHeads * nq + 1];
        int[] buf = new int[queryHeads * nq * (keyTilesCausal(nq - 1) + 1)];
        int n = 0;
        for (int h = 0; h < queryHeads; h++) {
            boolean streaming = streamingKv[h / (queryHeads / kvHeads)];
            for (int qt = 0; qt < nq; qt++) {
                listStart[h * nq + qt] = n;
                int causal = keyTilesCausal(qt);
                for (int kt = 0; kt < causal; kt++) {
                    if (!streaming || streamingTileVisited(qt, kt)) {
                        buf[n++] = kt;
                    }
                }
            }
        }
        listStart[queryHeads * nq] = n;
        tiles = Arrays.copyOf(buf, n);
    }

    /**
     * Builds the plan.
     *
     * @param streamingKv per KV head: true for a streaming head (sink + local window), false for dense
     * @param sinkTokens  S_sink of streaming heads
     * @param localTokens W_local of streaming heads
     */
    public static PrefillPlan build(int tokens, int queryHeads, int kvHeads, int dim, int tileQ, int tileK,
                                    boolean[] streamingKv, int sinkTokens, int localTokens) {
        if (tokens <= 0 || dim <= 0 || tileQ <= 0 || tileK <= 0 || kvHeads <= 0 || queryHeads % kvHeads != 0
                || streamingKv.length != kvHeads || sinkTokens < 0 || localTokens <= 0) {
            throw new IllegalArgumentException("bad prefill plan: tokens " + tokens + ", heads " + queryHeads + "/"
                    + kvHeads + ", tiles " + tileQ + "x" + tileK);
        }
        return new PrefillPlan(tokens, queryHeads, kvHeads, dim, tileQ, tileK, streamingKv, sinkTokens, localTokens);
    }

    /** A plan with every head dense. */
    public static PrefillPlan dense(int tokens, int queryHeads, int kvHeads, int dim, int tileQ, int tileK) {
        return build(tokens, queryHeads, kvHeads, dim, tileQ, tileK, new boolean[kvHeads], 0, 1);
    }

    private int keyTilesCausal(int qt) {
        int lastQuery = Math.min(tokens, (qt + 1) * tileQ) - 1;
        return lastQuery / tileK + 1;
    }

    private boolean streamingTileVisited(int qt, int kt) {
        int j0 = kt * tileK;
        if (j0 < sinkTokens) {
            return true;
        }
        int i1 = Math.min(tokens, (qt + 1) * tileQ) - 1;
        int j1 = Math.min(tokens, (kt + 1) * tileK) - 1;
        int i0 = qt * tileQ;
        // some (i, j) with j <= i and i - j < local: the closest pair is (max(i0, j0), min(j1, i)) ...
        int iStart = Math.max(i0, j0);
        return iStart <= i1 && iStart - Math.min(j1, iStart) < localTokens;
    }

    public int tokens() {
        return tokens;
    }

    public int queryHeads() {
        return queryHeads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int dim() {
        return dim;
    }

    public int tileQ() {
        return tileQ;
    }

    public int tileK() {
        return tileK;
    }

    public int sinkTokens() {
        return sinkTokens;
    }

    public int localTokens() {
        return localTokens;
    }

    /** Whether query head {@code h} is a streaming head. */
    public boolean streaming(int h) {
        return streamingKv[h / (queryHeads / kvHeads)];
    }

    public int queryTiles() {
        return (tokens + tileQ - 1) / tileQ;
    }

    public int keyTiles() {
        return (tokens + tileK - 1) / tileK;
    }

    /** Start of the list of (head, query tile) in {@link #tileList()}. */
    public int listStart(int h, int qt) {
        return listStart[h * queryTiles() + qt];
    }

    /** End (exclusive) of the list of (head, query tile). */
    public int listEnd(int h, int qt) {
        return listStart[h * queryTiles() + qt + 1];
    }

    /** All lists back to back (read-only by convention; std430 int array for the GPU). */
    public int[] tileList() {
        return tiles;
    }

    /** List offsets, {@code queryHeads * queryTiles + 1} ints. */
    public int[] listOffsets() {
        return listStart;
    }

    /** Tiles the kernel visits, over all heads. */
    public long visitedTiles() {
        return tiles.length;
    }

    /** Tiles a dense causal kernel visits, over all heads. */
    public long denseTiles() {
        long n = 0;
        for (int qt = 0; qt < queryTiles(); qt++) {
            n += keyTilesCausal(qt);
        }
        return n * queryHeads;
    }

    /** Realised sparsity {@code r = 1 - visited / dense}. */
    public double sparsity() {
        return 1.0 - (double) visitedTiles() / denseTiles();
    }

    /** Ideal speedup {@code 1 / (1 - r)} over dense causal attention. */
    public double idealSpeedup() {
        return 1.0 / (1.0 - sparsity());
    }

    /** The tile map of one query head: {@code [queryTiles][keyTiles]}. */
    public TileKind[][] tileMap(int h) {
        int nq = queryTiles();
        TileKind[][] map = new TileKind[nq][keyTiles()];
        boolean s = streaming(h);
        for (int qt = 0; qt < nq; qt++) {
            Arrays.fill(map[qt], TileKind.MASKED);
            for (int kt = 0; kt < keyTilesCausal(qt); kt++) {
                map[qt][kt] = s ? TileKind.SKIPPED : TileKind.DENSE;
            }
            for (int i = listStart(h, qt); i < listEnd(h, qt); i++) {
                map[qt][tiles[i]] = s ? TileKind.STREAMING : TileKind.DENSE;
            }
        }
        return map;
    }
}
