package org.mlsysworkbench.algorithms.attention;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * {@code bench attention}: dense against LServe attention on one backend, in one run, on the same inputs.
 * <ul>
 *   <li>Decode per token at 4K, 16K, 64K (GQA 8 query / 2 KV heads, D = 128, pages 64/16, budget 4096, reuse
 *       C = 4): dense decode over every page against page selection (scoring + top-K, amortised over C steps) plus
 *       decode over the selected pages. Ideal speedup {@code T / B}.</li>
 *   <li>Prefill at 4K and 16K (2 query / 2 KV heads, D = 64, tiles 64 x 64, one streaming KV head of two with sink
 *       128 + local 1024): dense causal tiles against the block-sparse plan. Ideal speedup {@code 1 / (1 - r)}.</li>
 * </ul>
 * Times are medians of repeated runs after a warm-up.
 */
public final class AttentionBenchmark implements BenchmarkSuite {

    static final int DECODE_QUERY_HEADS = 8;
    static final int DECODE_KV_HEADS = 2;
    static final int DECODE_DIM = 128;
    static final int PAGE = 64;
    static final int LOGICAL = 16;
    static final int BUDGET = 4096;
    static final int REUSE = 4;
    static final int PREFILL_HEADS = 2;
    static final int PREFILL_DIM = 64;
    static final int TILE = 64;
    static final int SINK = 128;
    static final int LOCAL = 1024;

    @Override
    public String id() {
        return AttentionBench.ID;
    }

    @Override
    public String description() {
        return "dense vs LServe decode (4K-64K, budget 4096) and prefill (4K-16K, 50% streaming heads), as ratios";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        AttentionKernels provided = backend.kernels(AttentionKernels.class).orElse(null);
        AttentionKernels kernels = provided != null ? provided : new CpuAttentionKernels();
        String note = kernels.name() + " on " + backend.device().name()
                + (backend.functionalOnly() ? "; functional-only (CPU Vulkan driver)" : "");
        try {
            SplittableRandom random = new SplittableRandom(2025);
            decode(report, kernels, 4096, random, 3, note, false);
            for (int tokens : quick ? new int[] {4096, 16384} : new int[] {4096, 16384, 65536}) {
                cancel.throwIfCancelled();
                decode(report, kernels, tokens, random, quick ? 3 : 5, note, true);
            }
            prefill(report, kernels, 1024, random, 1, note, false);
            for (int tokens : quick ? new int[] {2048, 4096} : new int[] {4096, 16384}) {
                cancel.throwIfCancelled();
                prefill(report, kernels, tokens, random, tokens >= 16384 ? 3 : 5, note, true);
            }
        } finally {
            if (provided == null) {
                kernels.close();
            }
        }
    }

    private void decode(BenchmarkReport report, AttentionKernels k, int tokens, SplittableRandom random, int reps,
                        String note, boolean emit) {
        int pages = (tokens + PAGE - 1) / PAGE;
        KvLayout layout = new KvLayout(DECODE_QUERY_HEADS, DECODE_KV_HEADS, DECODE_DIM, pages * PAGE, PAGE, LOGICAL);
        float[] keys = gaussian(random, (int) layout.kvFloats());
        float[] values = gaussian(random, (int) layout.kvFloats());
        float[] q = gaussian(random, DECODE_QUERY_HEADS * DECODE_DIM);
        int[] table = new int[pages];
        for (int i = 0; i < pages; i++) {
            table[i] = i;
        }
        float[] kmin = new float[(int) layout.statFloats()];
        float[] kmax = new float[(int) layout.statFloats()];
        long t0 = System.nanoTime();
        k.pageStats(layout, keys, table, tokens, kmin, kmax);
        double statsMs = (System.nanoTime() - t0) / 1e6;
        int[] all = NeedleTrials.allPages(DECODE_QUERY_HEADS, pages);
        float[] out = new float[DECODE_QUERY_HEADS * DECODE_DIM];
        float[] scores = new float[DECODE_QUERY_HEADS * pages];
        int[] selected = new int[DECODE_QUERY_HEADS * pages];
        double[] dense = new double[reps];
        double[] select = new double[reps];
        double[] sparse = new double[reps];
        int count = 0;
        for (int r = 0; r < reps; r++) {
            long a = System.nanoTime();
            k.decode(layout, q, keys, values, table, tokens, all, pages, pages, out);
            long b = System.nanoTime();
            k.scorePages(layout, q, kmin, kmax, table, tokens, scores);
            count = k.selectPages(layout, scores, tokens, BUDGET, selected, pages);
            long c = System.nanoTime();
            for (int step = 0; step < REUSE; step++) {
                k.decode(layout, q, keys, values, table, tokens, selected, pages, count, out);
            }
            long d = System.nanoTime();
            dense[r] = (b - a) / 1e6;
            select[r] = (c - b) / 1e6;
            sparse[r] = (d - c) / 1e6 / REUSE;
        }
        if (!emit) {
            return;
        }
        double denseMs = median(dense);
        double selectMs = median(select);
        double attnMs = median(sparse);
        double lserveMs = attnMs + selectMs / REUSE;
        double density = Math.min(1.0, count * (double) PAGE / tokens);
        double ideal = 1.0 / density;
        double speedup = denseMs / lserveMs;
        String c = "decode " + tokens / 1024 + "K";
        String geom = String.format(Locale.ROOT, "%d/%d heads, D %d, budget %d, C %d; %s", DECODE_QUERY_HEADS,
                DECODE_KV_HEADS, DECODE_DIM, BUDGET, REUSE, note);
        report.add(id(), c, "dense", denseMs, "ms", "per token, median of " + reps + "; " + geom);
        report.add(id(), c, "lserve", lserveMs, "ms", "per token: attention + selector / C");
        report.add(id(), c, "selector", selectMs, "ms", "scoring + top-K, once per C steps");
        report.add(id(), c, "sparse attention", attnMs, "ms", "per token");
        report.add(id(), c, "page stats", statsMs, "ms", "min-max pooling after prefill, once");
        report.add(id(), c, "density", density, "", "tokens read / context");
        report.add(id(), c, "ideal speedup", ideal, "x", "1 / density");
        report.add(id(), c, "speedup", speedup, "x", "dense / lserve, same run");
        report.add(id(), c, "achieved", speedup / ideal, "", "fraction of the ideal");
    }

    private void prefill(BenchmarkReport report, AttentionKernels k, int tokens, SplittableRandom random, int reps,
                         String note, boolean emit) {
        float[] q = gaussian(random, PREFILL_HEADS * tokens * PREFILL_DIM);
        float[] keys = gaussian(random, PREFILL_HEADS * tokens * PREFILL_DIM);
        float[] values = gaussian(random, PREFILL_HEADS * tokens * PREFILL_DIM);
        float[] out = new float[q.length];
        PrefillPlan dense = PrefillPlan.dense(tokens, PREFILL_HEADS, PREFILL_HEADS, PREFILL_DIM, TILE, TILE);
        boolean[] streaming = new boolean[PREFILL_HEADS];
        for (int h = 0; h < PREFILL_HEADS / 2; h++) {
            streaming[h] = true;
        }
        PrefillPlan sparse = PrefillPlan.build(tokens, PREFILL_HEADS, PREFILL_HEADS, PREFILL_DIM, TILE, TILE,
                streaming, SINK, LOCAL);
        double[] d = new double[reps];
        double[] s = new double[reps];
        for (int r = 0; r < reps; r++) {
            long a = System.nanoTime();
            k.prefill(dense, q, keys, values, out);
            long b = System.nanoTime();
            k.prefill(sparse, q, keys, values, out);
            long c = System.nanoTime();
            d[r] = (b - a) / 1e6;
            s[r] = (c - b) / 1e6;
        }
        if (!emit) {
            return;
        }
        double denseMs = median(d);
        double sparseMs = median(s);
        double speedup = denseMs / sparseMs;
        String c = "prefill " + tokens / 1024 + "K";
        String geom = String.format(Locale.ROOT, "%d heads (50%% streaming, sink %d + local %d), D %d, tiles %dx%d; %s",
                PREFILL_HEADS, SINK, LOCAL, PREFILL_DIM, TILE, TILE, note);
        report.add(id(), c, "dense", denseMs, "ms", "median of " + reps + "; " + geom);
        report.add(id(), c, "lserve", sparseMs, "ms", "block-sparse tile lists");
        report.add(id(), c, "tokens/s dense", tokens / (denseMs / 1000), "tokens/s", "");
        report.add(id(), c, "tokens/s lserve", tokens / (sparseMs / 1000), "tokens/s", "");
        report.add(id(), c, "sparsity r", sparse.sparsity(), "", "skipped / dense causal tiles");
        report.add(id(), c, "ideal speedup", sparse.idealSpeedup(), "x", "1 / (1 - r)");
        report.add(id(), c, "speedup", speedup, "x", "dense / lserve, same run");
        report.add(id(), c, "achieved", speedup / sparse.idealSpeedup(), "", "fraction of the ideal");
    }

    static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
