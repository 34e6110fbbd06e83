package org.mlsysworkbench.algorithms.attention;

import java.util.Arrays;

/**
 * The plain-Java twin of {@link AttentionKernels}: multi-threaded over heads (and query tiles in prefill), with
 * per-worker scratch allocated once and grown only when a call needs more, so inner loops never allocate.
 * Prefill transposes each key tile so that the score loop and the value loop are both unit-stride over the tile
 * (the JIT vectorises them). Not thread-safe: calls must not overlap (they share the per-worker scratch);
 * {@link #close()} stops the worker threads.
 */
public final class CpuAttentionKernels implements AttentionKernels {

    private final ParallelRunner runner;
    private final Scratch[] scratch;

    /** Kernels using every available processor. */
    public CpuAttentionKernels() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Kernels using {@code threads} threads (the caller's thread included). */
    public CpuAttentionKernels(int threads) {
        runner = new ParallelRunner(threads);
        scratch = new Scratch[runner.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch();
        }
    }

    /** Per-worker buffers. */
    private static final class Scratch {
        float[] scores = new float[0];
        float[] keysT = new float[0];
        float[] rowMax = new float[0];
        float[] rowSum = new float[0];
        float[] acc = new float[0];
        final float[] state = new float[2];
        final PageSelection selection = new PageSelection();

        void ensure(int tileQ, int tileK, int dim) {
            if (scores.length < Math.max(tileK, 1)) {
                scores = new float[Math.max(tileK, 1)];
            }
            if (keysT.length < tileK * dim) {
                keysT = new float[tileK * dim];
            }
            if (rowMax.length < tileQ) {
                rowMax = new float[tileQ];
                rowSum = new float[tileQ];
            }
            if (acc.length < tileQ * dim) {
                acc = new float[tileQ * dim];
            }
        }
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Worker threads. */
    public int threads() {
        return runner.threads();
    }

    @Override
    public long prefill(PrefillPlan plan, float[] q, float[] k, float[] v, float[] out) {
        int dim = plan.dim();
        int nq = plan.queryTiles();
        for (Scratch s : scratch) {
            s.ensure(plan.tileQ(), plan.tileK(), dim);
        }
        runner.forEach(plan.queryHeads() * nq, (item, worker) ->
                prefillTile(plan, item / nq, item % nq, q, k, v, out, scratch[worker]));
        return plan.visitedTiles();
    }

    private static void prefillTile(PrefillPlan plan, int h, int qt, float[] q, float[] k, float[] v, float[] out,
                                    Scratch s) {
        int tokens = plan.tokens();
        int dim = plan.dim();
        int tileK = plan.tileK();
        int i0 = qt * plan.tileQ();
        int rows = Math.min(tokens, i0 + plan.tileQ()) - i0;
        int kvh = h / (plan.queryHeads() / plan.kvHeads());
        int qBase = h * tokens * dim;
        int kvBase = kvh * tokens * dim;
        boolean streaming = plan.streaming(h);
        int sink = plan.sinkTokens();
        int local = plan.localTokens();
        float scale = (float) (1.0 / Math.sqrt(dim));
        float[] sc = s.scores;
        float[] kt = s.keysT;
        float[] acc = s.acc;
        Arrays.fill(s.rowMax, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(s.rowSum, 0, rows, 0f);
        Arrays.fill(acc, 0, rows * dim, 0f);
        int[] tiles = plan.tileList();
        for (int idx = plan.listStart(h, qt); idx < plan.listEnd(h, qt); idx++) {
            int j0 = tiles[idx] * tileK;
            int nk = Math.min(tokens, j0 + tileK) - j0;
            // transpose the key tile once; every row of the query tile reuses it
            for (int jj = 0; jj < nk; jj++) {
                int src = kvBase + (j0 + jj) * dim;
                for (int d = 0; d < dim; d++) {
                    kt[d * nk + jj] = k[src + d];
                }
            }
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                int nc = Math.min(nk, i - j0 + 1);
                if (nc <= 0) {
                    continue;
                }
                for (int jj = 0; jj < nc; jj++) {
                    sc[jj] = 0f;
                }
                int qRow = qBase + i * dim;
                for (int d = 0; d < dim; d++) {
                    float qd = q[qRow + d] * scale;
                    int b = d * nk;
                    for (int jj = 0; jj < nc; jj++) {
                        sc[jj] += qd * kt[b + jj];
                    }
                }
                if (streaming) {
                    for (int jj = 0; jj < nc; jj++) {
                        int j = j0 + jj;
                        if (j >= sink && i - j >= local) {
                            sc[jj] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
                float tileMax = Float.NEGATIVE_INFINITY;
                for (int jj = 0; jj < nc; jj++) {
                    tileMax = Math.max(tileMax, sc[jj]);
                }
                if (tileMax == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                float m = s.rowMax[r];
                float mNew = Math.max(m, tileMax);
                float corr = m == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(m - mNew);
                float l = s.rowSum[r] * corr;
                int ab = r * dim;
                if (corr != 1f) {
                    for (int d = 0; d < dim; d++) {
                        acc[ab + d] *= corr;
                    }
                }
                for (int jj = 0; jj < nc; jj++) {
                    if (sc[jj] == Float.NEGATIVE_INFINITY) {
                        continue;
                    }
                    float p = (float) Math.exp(sc[jj] - mNew);
                    l += p;
                    int vb = kvBase + (j0 + jj) * dim;
                    for (int d = 0; d < dim; d++) {
                        acc[ab + d] += p * v[vb + d];
                    }
                }
                s.rowMax[r] = mNew;
                s.rowSum[r] = l;
            }
        }
        for (int r = 0; r < rows; r++) {
            float inv = s.rowSum[r] > 0f ? 1f / s.rowSum[r] : 0f;
            int o = qBase + (i0 + r) * dim;
            for (int d = 0; d < dim; d++) {
                out[o + d] = acc[r * dim + d] * inv;
            }
        }
    }

    @Override
    public void pageStats(KvLayout layout, float[] keys, int[] blockTable, int tokens, float[] kmin, float[] kmax) {
        int logicalPages = (tokens + layout.logicalTokens() - 1) / layout.logicalTokens();
        int dim = layout.dim();
        int g = layout.logicalPerPage();
        int nl = layout.logicalTokens();
        int np = layout.pageTokens();
        runner.forEach(layout.kvHeads() * logicalPages, (item, worker) -> {
            int h = item / logicalPages;
            int j = item % logicalPages;
            int page = blockTable[j / g];
            int sub = j % g;
            int stat = (h * layout.poolLogicalPages() + page * g + sub) * dim;
            int t0 = j * nl;
            int t1 = Math.min(tokens, t0 + nl);
            int base = (h * layout.poolTokens() + page * np + sub * nl) * dim;
            System.arraycopy(keys, base, kmin, stat, dim);
            System.arraycopy(keys, base, kmax, stat, dim);
            for (int t = 1; t < t1 - t0; t++) {
                int kb = base + t * dim;
                for (int d = 0; d < dim; d++) {
                    float x = keys[kb + d];
                    kmin[stat + d] = Math.min(kmin[stat + d], x);
                    kmax[stat + d] = Math.max(kmax[stat + d], x);
                }
            }
        });
    }

    @Override
    public void scorePages(KvLayout layout, float[] q, float[] kmin, float[] kmax, int[] blockTable, int tokens,
                           float[] scores) {
        int pages = layout.pagesFor(tokens);
        runner.forEach(layout.queryHeads(), (h, worker) -> scoreHead(layout, h, q, kmin, kmax, blockTable, tokens,
                pages, scores));
    }

    static void scoreHead(KvLayout layout, int h, float[] q, float[] kmin, float[] kmax, int[] blockTable,
                          int tokens, int pages, float[] scores) {
        int dim = layout.dim();
        int g = layout.logicalPerPage();
        int kvh = h / layout.groupSize();
        int statHead = kvh * layout.poolLogicalPages();
        for (int p = 0; p < pages; p++) {
            int page = blockTable[p];
            float best = Float.NEGATIVE_INFINITY;
            for (int sub = 0; sub < g; sub++) {
                if (p * layout.pageTokens() + sub * layout.logicalTokens() >= tokens) {
                    break;
                }
                int off = (statHead + page * g + sub) * dim;
                best = Math.max(best, AttentionMath.minMaxScore(q, h * dim, kmin, kmax, off, dim));
            }
            scores[h * pages + p] = best;
        }
    }

    @Override
    public int selectPages(KvLayout layout, float[] scores, int tokens, int budgetTokens, int[] selected,
                           int stride) {
        int pages = layout.pagesFor(tokens);
        int count = PageSelection.selectedCount(tokens, budgetTokens, layout.pageTokens());
        if (stride < count) {
            throw new IllegalArgumentException("stride " + stride + " < selected pages " + count);
        }
        runner.forEach(layout.queryHeads(), (h, worker) -> scratch[worker].selection.select(scores, h * pages,
                tokens, layout.pageTokens(), budgetTokens, selected, h * stride));
        return count;
    }

    @Override
    public void decode(KvLayout layout, float[] q, float[] k, float[] v, int[] blockTable, int tokens, int[] pages,
                       int stride, int count, float[] out) {
        int dim = layout.dim();
        for (Scratch s : scratch) {
            s.ensure(1, layout.pageTokens(), dim);
        }
        runner.forEach(layout.queryHeads(), (h, worker) -> decodeHead(layout, h, q, k, v, blockTable, tokens,
                pages, stride, count, out, scratch[worker].state, scratch[worker].acc, scratch[worker].scores));
    }

    /** Decode of one query head; shared with the model so that both round identically. */
    static void decodeHead(KvLayout layout, int h, float[] q, float[] k, float[] v, int[] blockTable, int tokens,
                           int[] pages, int stride, int count, float[] out, float[] state, float[] acc,
                           float[] scratch) {
        int dim = layout.dim();
        int np = layout.pageTokens();
        int last = (tokens - 1) / np;
        int kvBase = (h / layout.groupSize()) * layout.poolTokens() * dim;
        float scale = (float) (1.0 / Math.sqrt(dim));
        state[0] = Float.NEGATIVE_INFINITY;
        state[1] = 0f;
        Arrays.fill(acc, 0, dim, 0f);
        for (int i = 0; i < count; i++) {
            int p = pages[h * stride + i];
            int n = p == last ? (tokens - 1) % np + 1 : np;
            AttentionMath.foldKeys(q, h * dim, k, v, kvBase + blockTable[p] * np * dim, dim, 0, n, scale, state,
                    acc, 0, scratch);
        }
        AttentionMath.finish(state, acc, 0, out, h * dim, dim);
    }

    @Override
    public void close() {
        runner.close();
    }
}
