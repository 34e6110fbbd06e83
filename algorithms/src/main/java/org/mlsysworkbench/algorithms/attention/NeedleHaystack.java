package org.mlsysworkbench.algorithms.attention;

import java.util.SplittableRandom;

/**
 * A synthetic long-context fixture beyond any bundled model's context: {@code heads} query heads (one per KV
 * head), keys and values drawn i.i.d. from N(0, 1), and in every head one planted "needle" key at a chosen depth,
 * {@code k_needle = logit * sqrt(D) * q / |q|^2}, so that its scaled score is {@code q . k_needle / sqrt(D) = logit}
 * while the other keys score about N(0, 1). The
 * needle gives page selection a ground truth: a hit means the page holding the needle was selected. Pages are
 * placed in the pool through a random block table, so the paging indirection is exercised.
 */
public final class NeedleHaystack {

    private final KvLayout layout;
    private final int tokens;
    private final int needleToken;
    private final float[] keys;
    private final float[] values;
    private final float[] queries;
    private final int[] blockTable;

    private NeedleHaystack(KvLayout layout, int tokens, int needleToken, float[] keys, float[] values,
                           float[] queries, int[] blockTable) {
        this.layout = layout;
        this.tokens = tokens;
        this.needleToken = needleToken;
        this.keys = keys;
        this.values = values;
        this.queries = queries;
        this.blockTable = blockTable;
    }

    /**
     * @param depth    needle position as a fraction of the context, 0 (first token) .. 1 (last token)
     * @param logit    the needle's scaled score; {@code ln(tokens) + 1} gives it about 60 % of the dense mass
     */
    public static NeedleHaystack generate(SplittableRandom random, int tokens, int heads, int dim, int pageTokens,
                                          int logicalTokens, double depth, double logit) {
        int pages = (tokens + pageTokens - 1) / pageTokens;
        KvLayout layout = new KvLayout(heads, heads, dim, pages * pageTokens, pageTokens, logicalTokens);
        int[] table = new int[pages];
        for (int i = 0; i < pages; i++) {
            table[i] = i;
        }
        for (int i = pages - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = table[i];
            table[i] = table[j];
            table[j] = t;
        }
        float[] keys = new float[(int) layout.kvFloats()];
        float[] values = new float[(int) layout.kvFloats()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        float[] queries = new float[heads * dim];
        int needle = (int) Math.round(depth * (tokens - 1));
        for (int h = 0; h < heads; h++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                queries[h * dim + d] = (float) random.nextGaussian();
                norm += (double) queries[h * dim + d] * queries[h * dim + d];
            }
            double f = logit * Math.sqrt(dim) / norm;
            int at = offset(layout, table, h, needle);
            for (int d = 0; d < dim; d++) {
                keys[at + d] = (float) (f * queries[h * dim + d]);
            }
        }
        return new NeedleHaystack(layout, tokens, needle, keys, values, queries, table);
    }

    static int offset(KvLayout layout, int[] table, int h, int t) {
        return (h * layout.poolTokens() + table[t / layout.pageTokens()] * layout.pageTokens()
                + t % layout.pageTokens()) * layout.dim();
    }

    /**
     * Dense softmax mass per sequence page for head {@code h} (double precision oracle).
     *
     * @param mass receives {@code ceil(tokens / N_P)} values summing to 1
     */
    public void pageMass(int h, double[] mass) {
        int dim = layout.dim();
        int np = layout.pageTokens();
        double scale = 1.0 / Math.sqrt(dim);
        double max = Double.NEGATIVE_INFINITY;
        double[] s = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            int kb = offset(layout, blockTable, h, t);
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) queries[h * dim + d] * keys[kb + d];
            }
            s[t] = dot * scale;
            max = Math.max(max, s[t]);
        }
        double sum = 0;
        for (int t = 0; t < tokens; t++) {
            s[t] = Math.exp(s[t] - max);
            sum += s[t];
        }
        java.util.Arrays.fill(mass, 0, layout.pagesFor(tokens), 0.0);
        for (int t = 0; t < tokens; t++) {
            mass[t / np] += s[t] / sum;
        }
    }

    public KvLayout layout() {
        return layout;
    }

    public int tokens() {
        return tokens;
    }

    /** Sequence position of the needle (the same in every head). */
    public int needleToken() {
        return needleToken;
    }

    /** The sequence page holding the needle. */
    public int needlePage() {
        return needleToken / layout.pageTokens();
    }

    /** Keys {@code [heads][poolTokens][dim]} in pool order. */
    public float[] keys() {
        return keys;
    }

    public float[] values() {
        return values;
    }

    /** One query per head, {@code [heads][dim]}. */
    public float[] queries() {
        return queries;
    }

    public int[] blockTable() {
        return blockTable;
    }
}
