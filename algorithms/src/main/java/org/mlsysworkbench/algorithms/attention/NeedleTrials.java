package org.mlsysworkbench.algorithms.attention;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * Needle-in-a-haystack trials of LServe's page selector on the kernels: per trial a fresh
 * {@link NeedleHaystack} at depth {@code i / (trials - 1)}, min-max pooling, hierarchical scoring, top-K selection
 * under the budget, sparse and dense decode. Reports the hit rate (needle page selected), attention-mass recall
 * {@code sum_{p selected} mass_p} and the relative output error {@code ||o_sparse - o_dense|| / ||o_dense||}.
 */
public final class NeedleTrials {

    /** Outcome of one trial, averaged over heads. */
    public record Trial(double depth, int needleToken, double hitRate, double recall, double relError,
                        double[] sweepHitRate, double[] sweepRecall) {
    }

    /** Outcome of all trials. */
    public record Summary(Trial[] trials, double hitRate, double meanRecall, double meanRelError) {
    }

    /** Trial geometry. */
    public record Setup(int tokens, int heads, int dim, int pageTokens, int logicalTokens, int budgetTokens,
                        double needleLogit, int trials, int[] sweepBudgets) {

        public Setup(int tokens, int heads, int dim, int pageTokens, int logicalTokens, int budgetTokens,
                     double needleLogit, int trials) {
            this(tokens, heads, dim, pageTokens, logicalTokens, budgetTokens, needleLogit, trials, new int[0]);
        }
    }

    private NeedleTrials() {
    }

    public static Summary run(AttentionKernels kernels, Setup s, SplittableRandom random, CancellationToken cancel,
                              java.util.function.IntConsumer progress) {
        Trial[] out = new Trial[s.trials()];
        double hits = 0;
        double recall = 0;
        double err = 0;
        for (int i = 0; i < s.trials(); i++) {
            cancel.throwIfCancelled();
            double depth = s.trials() == 1 ? 0.5 : i / (double) (s.trials() - 1);
            NeedleHaystack hay = NeedleHaystack.generate(random.split(), s.tokens(), s.heads(), s.dim(),
                    s.pageTokens(), s.logicalTokens(), depth, s.needleLogit());
            out[i] = trial(kernels, hay, s.budgetTokens(), s.sweepBudgets());
            hits += out[i].hitRate();
            recall += out[i].recall();
            err += out[i].relError();
            progress.accept(i + 1);
        }
        return new Summary(out, hits / s.trials(), recall / s.trials(), err / s.trials());
    }

    /** One haystack through the whole selection pipeline. */
    public static Trial trial(AttentionKernels kernels, NeedleHaystack hay, int budgetTokens) {
        return trial(kernels, hay, budgetTokens, new int[0]);
    }

    /** One haystack; also selects at each of {@code sweepBudgets} (hit rate and recall only). */
    public static Trial trial(AttentionKernels kernels, NeedleHaystack hay, int budgetTokens, int[] sweepBudgets) {
        KvLayout layout = hay.layout();
        int tokens = hay.tokens();
        int pages = layout.pagesFor(tokens);
        int heads = layout.queryHeads();
        int dim = layout.dim();
        float[] kmin = new float[(int) layout.statFloats()];
        float[] kmax = new float[(int) layout.statFloats()];
        kernels.pageStats(layout, hay.keys(), hay.blockTable(), tokens, kmin, kmax);
        float[] scores = new float[heads * pages];
        kernels.scorePages(layout, hay.queries(), kmin, kmax, hay.blockTable(), tokens, scores);
        int[] selected = new int[heads * pages];
        int count = kernels.selectPages(layout, scores, tokens, budgetTokens, selected, pages);
        float[] sparse = new float[heads * dim];
        kernels.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), tokens, selected, pages,
                count, sparse);
        int[] all = allPages(heads, pages);
        float[] dense = new float[heads * dim];
        kernels.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), tokens, all, pages, pages,
                dense);
        double[][] mass = new double[heads][pages];
        double err = 0;
        for (int h = 0; h < heads; h++) {
            hay.pageMass(h, mass[h]);
            err += relativeError(sparse, dense, h * dim, dim);
        }
        double[] hr = hitAndRecall(hay, selected, pages, count, mass);
        double[] sweepHit = new double[sweepBudgets.length];
        double[] sweepRecall = new double[sweepBudgets.length];
        for (int b = 0; b < sweepBudgets.length; b++) {
            int n = kernels.selectPages(layout, scores, tokens, sweepBudgets[b], selected, pages);
            double[] x = hitAndRecall(hay, selected, pages, n, mass);
            sweepHit[b] = x[0];
            sweepRecall[b] = x[1];
        }
        return new Trial(hay.needleToken() / (double) Math.max(1, tokens - 1), hay.needleToken(), hr[0], hr[1],
                err / heads, sweepHit, sweepRecall);
    }

    private static double[] hitAndRecall(NeedleHaystack hay, int[] selected, int stride, int count,
                                         double[][] mass) {
        int heads = mass.length;
        double hits = 0;
        double recall = 0;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < count; i++) {
                int p = selected[h * stride + i];
                recall += mass[h][p];
                if (p == hay.needlePage()) {
                    hits++;
                }
            }
        }
        return new double[] {hits / heads, recall / heads};
    }

    /** Every page for every head, {@code [heads][pages]}: the list that makes {@code decode} dense. */
    public static int[] allPages(int heads, int pages) {
        int[] all = new int[heads * pages];
        for (int h = 0; h < heads; h++) {
            for (int p = 0; p < pages; p++) {
                all[h * pages + p] = p;
            }
        }
        return all;
    }

    /** {@code ||a - b|| / ||b||} over {@code n} floats from {@code off}. */
    public static double relativeError(float[] a, float[] b, int off, int n) {
        double num = 0;
        double den = 0;
        for (int i = off; i < off + n; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }
}
