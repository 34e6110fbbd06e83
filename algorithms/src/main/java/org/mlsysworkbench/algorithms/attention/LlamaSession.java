package org.mlsysworkbench.algorithms.attention;

import java.util.Arrays;

/**
 * One sequence being decoded by a {@link LlamaModel}: the two-way KV cache (a {@link PagedKvCache} of the
 * retrieval KV heads and a {@link StreamingKvCache} of the streaming ones, per layer), the current position and
 * the page selection of every retrieval query head, recomputed every {@code reuseInterval} positions and reused
 * in between (the newest page is always added). Not thread-safe.
 */
public final class LlamaSession {

    /** Receives every page selection of retrieval heads; for timelines and recall measurements. */
    @FunctionalInterface
    public interface SelectionListener {
        /**
         * @param layer       layer index
         * @param queryHead   query head index
         * @param position    position of the query token (tokens in cache = position + 1)
         * @param pages       selected sequence page ids (ascending, newest last); valid during the call only
         * @param count       entries of {@code pages} in use
         * @param scores      physical page scores of this step, or null on a reused step; valid during the call
         * @param pageMass    dense softmax mass per physical page (the oracle), {@code ceil(tokens / N_P)} values
         * @param reselected  true when this step recomputed the selection
         */
        void onSelection(int layer, int queryHead, int position, int[] pages, int count, float[] scores,
                         double[] pageMass, boolean reselected);
    }

    private final LlamaModel model;
    private final LlamaConfig c;
    private final SparseAttentionSettings settings;
    private final PagedKvCache[] retrieval;
    private final StreamingKvCache[] streaming;
    /** per layer and KV head: index inside its cache */
    private final int[][] cacheIndex;
    private final int[][][] selected;
    private final int[][] selectedCount;
    private final boolean[][] selectedAll;
    private final PageSelection selection = new PageSelection();
    private SelectionListener listener;
    private boolean[][] ablated;
    private float[] int8KeyScale;
    private float[] int8ValueScale;
    private float[][] kvRange;
    private double[][] calibErr;
    private double[][] calibNorm;
    private int calibSink;
    private int calibLocal;
    private float[] calibOut;
    private int pos;

    private final float[] x;
    private final float[] xb;
    private final float[] xb2;
    private final float[] hb;
    private final float[] hb2;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] kGather;
    private final float[] vGather;
    private final float[] att;
    private final float[] logits;
    private final float[] state = new float[2];
    private final float[] acc;
    private final float[] scratch;
    private float[] scores;
    private double[] probs;
    private double[] pageMass;

    LlamaSession(LlamaModel model, SparseAttentionSettings settings) {
        this.model = model;
        this.c = model.c;
        this.settings = settings;
        if (settings.streamingKv().length != c.layers()) {
            throw new IllegalArgumentException("streaming head map has " + settings.streamingKv().length
                    + " layers, the model " + c.layers());
        }
        int hs = c.headSize();
        int poolPages = (c.seqLen() + settings.pageTokens() - 1) / settings.pageTokens();
        retrieval = new PagedKvCache[c.layers()];
        streaming = new StreamingKvCache[c.layers()];
        cacheIndex = new int[c.layers()][c.kvHeads()];
        for (int l = 0; l < c.layers(); l++) {
            if (settings.streamingKv()[l].length != c.kvHeads()) {
                throw new IllegalArgumentException("streaming head map layer " + l + " has "
                        + settings.streamingKv()[l].length + " KV heads, the model " + c.kvHeads());
            }
            int nr = 0;
            int ns = 0;
            for (int h = 0; h < c.kvHeads(); h++) {
                cacheIndex[l][h] = settings.streamingKv()[l][h] ? ns++ : nr++;
            }
            retrieval[l] = new PagedKvCache(nr, hs, settings.pageTokens(), settings.logicalTokens(), poolPages, null);
            streaming[l] = new StreamingKvCache(ns, hs, settings.sinkTokens(), settings.localTokens(),
                    settings.pageTokens());
        }
        selected = new int[c.layers()][c.heads()][poolPages];
        selectedCount = new int[c.layers()][c.heads()];
        selectedAll = new boolean[c.layers()][c.heads()];
        x = new float[c.dim()];
        xb = new float[c.dim()];
        xb2 = new float[c.dim()];
        hb = new float[c.hiddenDim()];
        hb2 = new float[c.hiddenDim()];
        q = new float[c.dim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        kGather = new float[c.kvDim()];
        vGather = new float[c.kvDim()];
        att = new float[c.dim()];
        logits = new float[c.vocabSize()];
        acc = new float[hs];
        scratch = new float[Math.max(settings.pageTokens(), 1)];
        scores = new float[poolPages];
    }

    /** Installs a listener (null removes it); with one installed, each step also computes the oracle mass. */
    public void setSelectionListener(SelectionListener listener) {
        this.listener = listener;
        if (listener != null && probs == null) {
            probs = new double[c.seqLen()];
            pageMass = new double[scores.length];
        }
    }

    /**
     * Starts measuring, for every retrieval KV head, how far a streaming approximation (sink + local window, on the
     * same keys) is from the head's actual attention output: the training-free stand-in for DuoAttention's gates
     * that {@link StreamingCalibration} turns into a head map.
     */
    public void measureStreamingError(int sinkTokens, int localTokens) {
        calibErr = new double[c.layers()][c.kvHeads()];
        calibNorm = new double[c.layers()][c.kvHeads()];
        calibSink = sinkTokens;
        calibLocal = localTokens;
        calibOut = new float[c.headSize()];
    }

    /** Squared output error and squared output norm summed so far: {@code [2][layers][kvHeads]}. */
    public double[][][] streamingErrorSums() {
        if (calibErr == null) {
            throw new IllegalStateException("measureStreamingError was not called");
        }
        return new double[][][] {calibErr, calibNorm};
    }

    /**
     * Zeroes the attention output of the marked KV heads (all query heads of each group) from the next step on:
     * the head-ablation experiment. Null restores every head.
     *
     * @param kvHeads {@code [layers][kvHeads]}, true for a removed head
     */
    public void ablateHeads(boolean[][] kvHeads) {
        if (kvHeads != null && (kvHeads.length != c.layers() || kvHeads[0].length != c.kvHeads())) {
            throw new IllegalArgumentException("ablation map must be " + c.layers() + " x " + c.kvHeads());
        }
        this.ablated = kvHeads;
    }

    /**
     * Stores keys and values as int8 with a static per-tensor scale per layer ({@link Int8Kv}) from the next step
     * on: every appended K/V entry is replaced by its dequantized int8 value, and {@link #kvBytes()} counts one byte
     * per element. The kernels read the dequantized floats (the arithmetic an int8 cache with on-the-fly
     * dequantization performs).
     *
     * @param keyScale   per layer
     * @param valueScale per layer
     */
    public void useInt8Kv(float[] keyScale, float[] valueScale) {
        if (keyScale.length != c.layers() || valueScale.length != c.layers()) {
            throw new IllegalArgumentException("int8 scales must have one entry per layer (" + c.layers() + ")");
        }
        int8KeyScale = keyScale.clone();
        int8ValueScale = valueScale.clone();
    }

    /** Starts recording max |K| and max |V| per layer (for int8 scale calibration). */
    public void measureKvRange() {
        kvRange = new float[2][c.layers()];
    }

    /** {@code [2][layers]}: max |K| and max |V| seen since {@link #measureKvRange()}. */
    public float[][] kvRange() {
        return new float[][] {kvRange[0].clone(), kvRange[1].clone()};
    }

    /** Position of the next token. */
    public int position() {
        return pos;
    }

    public SparseAttentionSettings settings() {
        return settings;
    }

    /** The retrieval cache of a layer (read-only use). */
    public PagedKvCache retrievalCache(int layer) {
        return retrieval[layer];
    }

    /** The streaming cache of a layer (read-only use). */
    public StreamingKvCache streamingCache(int layer) {
        return streaming[layer];
    }

    /** KV bytes in use over all layers: retrieval pages, their min/max statistics, streaming rings. */
    public long[] kvBytes() {
        long r = 0;
        long s = 0;
        long st = 0;
        for (int l = 0; l < c.layers(); l++) {
            r += retrieval[l].kvBytesUsed();
            st += retrieval[l].statBytesUsed();
            s += streaming[l].kvBytes();
        }
        if (int8KeyScale != null) {
            // one byte per element instead of four, plus two float scales per layer
            r = r / Float.BYTES + 2L * c.layers() * Float.BYTES;
            s = s / Float.BYTES;
        }
        return new long[] {r, st, s};
    }

    /**
     * Feeds one token at the current position and returns the logits of the next token. The returned array is
     * reused by the next call.
     *
     * @throws IllegalStateException beyond the model's context
     */
    public float[] step(int token) {
        if (pos >= c.seqLen()) {
            throw new IllegalStateException("context full: the model's seq_len is " + c.seqLen());
        }
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " outside 0.." + (c.vocabSize() - 1));
        }
        LlamaWeights w = model.w;
        int dim = c.dim();
        int hs = c.headSize();
        int kvDim = c.kvDim();
        System.arraycopy(w.tokenEmbedding, token * dim, x, 0, dim);
        for (int l = 0; l < c.layers(); l++) {
            LlamaModel.rmsnorm(xb, x, w.rmsAtt, l * dim, dim);
            LlamaModel.matmul(q, xb, w.wq, l * dim * dim, dim, dim);
            LlamaModel.matmul(k, xb, w.wk, l * kvDim * dim, kvDim, dim);
            LlamaModel.matmul(v, xb, w.wv, l * kvDim * dim, kvDim, dim);
            model.rope(q, c.heads(), pos);
            model.rope(k, c.kvHeads(), pos);
            if (kvRange != null) {
                for (int i = 0; i < kvDim; i++) {
                    kvRange[0][l] = Math.max(kvRange[0][l], Math.abs(k[i]));
                    kvRange[1][l] = Math.max(kvRange[1][l], Math.abs(v[i]));
                }
            }
            if (int8KeyScale != null) {
                Int8Kv.roundTrip(k, 0, kvDim, int8KeyScale[l]);
                Int8Kv.roundTrip(v, 0, kvDim, int8ValueScale[l]);
            }
            append(l);
            for (int h = 0; h < c.heads(); h++) {
                int kvh = h / c.groupSize();
                if (settings.streamingKv()[l][kvh]) {
                    streaming[l].attend(cacheIndex[l][kvh], q, h * hs, (float) (1.0 / Math.sqrt(hs)), att, h * hs,
                            state, acc, scratch);
                } else {
                    attendRetrieval(l, h, cacheIndex[l][kvh]);
                }
                if (ablated != null && ablated[l][kvh]) {
                    Arrays.fill(att, h * hs, (h + 1) * hs, 0f);
                }
            }
            LlamaModel.matmul(xb2, att, w.wo, l * dim * dim, dim, dim);
            for (int i = 0; i < dim; i++) {
                x[i] += xb2[i];
            }
            LlamaModel.rmsnorm(xb, x, w.rmsFfn, l * dim, dim);
            LlamaModel.matmul(hb, xb, w.w1, l * c.hiddenDim() * dim, c.hiddenDim(), dim);
            LlamaModel.matmul(hb2, xb, w.w3, l * c.hiddenDim() * dim, c.hiddenDim(), dim);
            for (int i = 0; i < c.hiddenDim(); i++) {
                float val = hb[i];
                val *= 1f / (1f + (float) Math.exp(-val));
                hb[i] = val * hb2[i];
            }
            LlamaModel.matmul(xb, hb, w.w2, l * dim * c.hiddenDim(), dim, c.hiddenDim());
            for (int i = 0; i < dim; i++) {
                x[i] += xb[i];
            }
        }
        LlamaModel.rmsnorm(x, x, w.rmsFinal, 0, dim);
        LlamaModel.matmul(logits, x, w.wcls, 0, c.vocabSize(), dim);
        pos++;
        return logits;
    }

    private void append(int l) {
        int hs = c.headSize();
        int nr = 0;
        int ns = 0;
        boolean[] s = settings.streamingKv()[l];
        for (int h = 0; h < c.kvHeads(); h++) {
            if (!s[h]) {
                System.arraycopy(k, h * hs, kGather, nr * hs, hs);
                System.arraycopy(v, h * hs, vGather, nr * hs, hs);
                nr++;
            }
        }
        retrieval[l].append(kGather, 0, vGather, 0);
        for (int h = 0; h < c.kvHeads(); h++) {
            if (s[h]) {
                System.arraycopy(k, h * hs, kGather, ns * hs, hs);
                System.arraycopy(v, h * hs, vGather, ns * hs, hs);
                ns++;
            }
        }
        streaming[l].append(kGather, 0, vGather, 0);
    }

    private void attendRetrieval(int l, int h, int rh) {
        PagedKvCache cache = retrieval[l];
        int hs = c.headSize();
        int tokens = pos + 1;
        int np = settings.pageTokens();
        int pages = cache.pages();
        int[] sel = selected[l][h];
        boolean all = tokens <= settings.budgetTokens();
        boolean reselect = pos % settings.reuseInterval() == 0 || selectedCount[l][h] == 0 || selectedAll[l][h];
        selectedAll[l][h] = all;
        float[] stepScores = null;
        if (all) {
            for (int p = 0; p < pages; p++) {
                sel[p] = p;
            }
            selectedCount[l][h] = pages;
        } else if (reselect) {
            scorePages(cache, rh, h, tokens, pages);
            selectedCount[l][h] = selection.select(scores, 0, tokens, np, settings.budgetTokens(), sel, 0);
            stepScores = scores;
        } else {
            // reuse: keep the earlier choice and make sure the newest page is in it
            int n = selectedCount[l][h];
            if (sel[n - 1] != pages - 1) {
                sel[n++] = pages - 1;
            }
            selectedCount[l][h] = n;
        }
        int n = selectedCount[l][h];
        state[0] = Float.NEGATIVE_INFINITY;
        state[1] = 0f;
        Arrays.fill(acc, 0f);
        float scale = (float) (1.0 / Math.sqrt(hs));
        int last = pages - 1;
        for (int i = 0; i < n; i++) {
            int p = sel[i];
            int count = p == last ? (tokens - 1) % np + 1 : np;
            AttentionMath.foldKeys(q, h * hs, cache.keys, cache.values, cache.offset(rh, p * np), hs, 0, count,
                    scale, state, acc, 0, scratch);
        }
        AttentionMath.finish(state, acc, 0, att, h * hs, hs);
        if (calibErr != null) {
            accumulateStreamingError(l, h, rh, tokens);
        }
        if (listener != null) {
            oracleMass(cache, rh, h, tokens, pages);
            listener.onSelection(l, h, pos, sel, n, stepScores, pageMass, reselect || all);
        }
    }

    private void accumulateStreamingError(int l, int h, int rh, int tokens) {
        int hs = c.headSize();
        PagedKvCache cache = retrieval[l];
        state[0] = Float.NEGATIVE_INFINITY;
        state[1] = 0f;
        Arrays.fill(acc, 0f);
        int sinkEnd = Math.min(calibSink, tokens);
        foldSequence(cache, rh, h, 0, sinkEnd);
        foldSequence(cache, rh, h, Math.max(sinkEnd, tokens - calibLocal), tokens);
        AttentionMath.finish(state, acc, 0, calibOut, 0, hs);
        int kvh = h / c.groupSize();
        for (int d = 0; d < hs; d++) {
            double diff = calibOut[d] - att[h * hs + d];
            calibErr[l][kvh] += diff * diff;
            calibNorm[l][kvh] += (double) att[h * hs + d] * att[h * hs + d];
        }
    }

    private void foldSequence(PagedKvCache cache, int rh, int h, int from, int to) {
        int hs = c.headSize();
        int np = settings.pageTokens();
        float scale = (float) (1.0 / Math.sqrt(hs));
        int t = from;
        while (t < to) {
            int end = Math.min(to, (t / np + 1) * np);
            AttentionMath.foldKeys(q, h * hs, cache.keys, cache.values, cache.offset(rh, t), hs, 0, end - t, scale,
                    state, acc, 0, scratch);
            t = end;
        }
    }

    private void scorePages(PagedKvCache cache, int rh, int h, int tokens, int pages) {
        int hs = c.headSize();
        int g = settings.pageTokens() / settings.logicalTokens();
        for (int p = 0; p < pages; p++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int sub = 0; sub < g; sub++) {
                int t0 = p * settings.pageTokens() + sub * settings.logicalTokens();
                if (t0 >= tokens) {
                    break;
                }
                int off = cache.statOffset(rh, p * g + sub);
                float s = settings.scorer() == PageScorer.MIN_MAX
                        ? AttentionMath.minMaxScore(q, h * hs, cache.kmin, cache.kmax, off, hs)
                        : AttentionMath.meanStdScore(q, h * hs, cache.ksum, cache.ksq, off, hs,
                        Math.min(settings.logicalTokens(), tokens - t0));
                best = Math.max(best, s);
            }
            scores[p] = best;
        }
    }

    private void oracleMass(PagedKvCache cache, int rh, int h, int tokens, int pages) {
        int hs = c.headSize();
        int np = settings.pageTokens();
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < tokens; t++) {
            int kb = cache.offset(rh, t);
            double s = 0;
            for (int d = 0; d < hs; d++) {
                s += (double) q[h * hs + d] * cache.keys[kb + d];
            }
            probs[t] = s / Math.sqrt(hs);
            max = Math.max(max, probs[t]);
        }
        double sum = 0;
        for (int t = 0; t < tokens; t++) {
            probs[t] = Math.exp(probs[t] - max);
            sum += probs[t];
        }
        Arrays.fill(pageMass, 0, pages, 0.0);
        for (int t = 0; t < tokens; t++) {
            pageMass[t / np] += probs[t] / sum;
        }
    }
}
