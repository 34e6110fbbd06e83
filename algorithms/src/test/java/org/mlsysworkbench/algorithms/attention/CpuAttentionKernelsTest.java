package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CpuAttentionKernelsTest {

    static CpuAttentionKernels kernels;

    @BeforeAll
    static void start() {
        kernels = new CpuAttentionKernels(2);
    }

    @AfterAll
    static void stop() {
        kernels.close();
    }

    @Test
    void densePrefillMatchesTheTextbookFormula() {
        int t = 203;
        int hq = 4;
        int hkv = 2;
        int dim = 16;
        SplittableRandom r = new SplittableRandom(1);
        float[] q = AttentionReference.gaussian(r, hq * t * dim);
        float[] k = AttentionReference.gaussian(r, hkv * t * dim);
        float[] v = AttentionReference.gaussian(r, hkv * t * dim);
        PrefillPlan plan = PrefillPlan.dense(t, hq, hkv, dim, 32, 16);
        float[] out = new float[hq * t * dim];
        long visited = kernels.prefill(plan, q, k, v, out);
        float[] ref = AttentionReference.prefill(q, k, v, t, hq, hkv, dim, new boolean[hkv], 0, 1);
        assertThat(AttentionReference.maxAbsDiff(out, ref)).isLessThan(1e-5); // fp32 online softmax vs double
        assertThat(visited).isEqualTo(plan.denseTiles());
        assertThat(plan.sparsity()).isEqualTo(0.0);
    }

    @Test
    void streamingPrefillIsTokenExact() {
        int t = 300;
        int hq = 4;
        int hkv = 2;
        int dim = 8;
        SplittableRandom r = new SplittableRandom(2);
        float[] q = AttentionReference.gaussian(r, hq * t * dim);
        float[] k = AttentionReference.gaussian(r, hkv * t * dim);
        float[] v = AttentionReference.gaussian(r, hkv * t * dim);
        boolean[] streaming = {true, false};
        PrefillPlan plan = PrefillPlan.build(t, hq, hkv, dim, 16, 16, streaming, 10, 37);
        float[] out = new float[hq * t * dim];
        kernels.prefill(plan, q, k, v, out);
        float[] ref = AttentionReference.prefill(q, k, v, t, hq, hkv, dim, streaming, 10, 37);
        assertThat(AttentionReference.maxAbsDiff(out, ref)).isLessThan(1e-5);
        assertThat(plan.sparsity()).isGreaterThan(0.2);
    }

    @Test
    void tileListsVisitExactlyTheTilesWithAVisibleKey() {
        int t = 500;
        PrefillPlan plan = PrefillPlan.build(t, 2, 2, 4, 32, 16, new boolean[] {true, false}, 20, 50);
        long visited = 0;
        for (int h = 0; h < 2; h++) {
            PrefillPlan.TileKind[][] map = plan.tileMap(h);
            for (int qt = 0; qt < plan.queryTiles(); qt++) {
                for (int kt = 0; kt < plan.keyTiles(); kt++) {
                    boolean anyVisible = false;
                    boolean anyCausal = false;
                    for (int i = qt * 32; i < Math.min(t, qt * 32 + 32); i++) {
                        for (int j = kt * 16; j < Math.min(t, kt * 16 + 16); j++) {
                            anyCausal |= j <= i;
                            anyVisible |= h == 0 ? StreamingKvCache.visible(i, j, 20, 50) : j <= i;
                        }
                    }
                    PrefillPlan.TileKind kind = map[qt][kt];
                    if (!anyCausal) {
                        assertThat(kind).isEqualTo(PrefillPlan.TileKind.MASKED);
                    } else if (anyVisible) {
                        assertThat(kind).isIn(PrefillPlan.TileKind.DENSE, PrefillPlan.TileKind.STREAMING);
                        visited++;
                    } else {
                        assertThat(kind).isEqualTo(PrefillPlan.TileKind.SKIPPED);
                    }
                }
            }
        }
        assertThat(plan.visitedTiles()).isEqualTo(visited);
        assertThat(plan.idealSpeedup()).isEqualTo(1.0 / (1.0 - plan.sparsity()));
    }

    @Test
    void pageStatsPoolMinMaxPerLogicalPageThroughTheBlockTable() {
        KvLayout layout = new KvLayout(2, 2, 4, 48, 8, 4);
        SplittableRandom r = new SplittableRandom(3);
        float[] keys = AttentionReference.gaussian(r, (int) layout.kvFloats());
        int[] table = {4, 1, 5};
        int tokens = 21;
        float[] kmin = new float[(int) layout.statFloats()];
        float[] kmax = new float[(int) layout.statFloats()];
        kernels.pageStats(layout, keys, table, tokens, kmin, kmax);
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 6; j++) {
                int page = table[j / 2];
                int stat = (h * layout.poolLogicalPages() + page * 2 + j % 2) * 4;
                for (int d = 0; d < 4; d++) {
                    float mn = Float.POSITIVE_INFINITY;
                    float mx = Float.NEGATIVE_INFINITY;
                    for (int t = j * 4; t < Math.min(tokens, j * 4 + 4); t++) {
                        float x = keys[(h * 48 + page * 8 + t % 8) * 4 + d];
                        mn = Math.min(mn, x);
                        mx = Math.max(mx, x);
                    }
                    assertThat(kmin[stat + d]).isEqualTo(mn);
                    assertThat(kmax[stat + d]).isEqualTo(mx);
                }
            }
        }
    }

    @Test
    void pageScoreBoundsEveryKeyOfThePageAndTopKFollowsTheRule() {
        NeedleHaystack hay = NeedleHaystack.generate(new SplittableRandom(4), 1000, 2, 8, 16, 4, 0.3, 8.0);
        KvLayout layout = hay.layout();
        int pages = layout.pagesFor(1000);
        float[] kmin = new float[(int) layout.statFloats()];
        float[] kmax = new float[(int) layout.statFloats()];
        kernels.pageStats(layout, hay.keys(), hay.blockTable(), 1000, kmin, kmax);
        float[] scores = new float[2 * pages];
        kernels.scorePages(layout, hay.queries(), kmin, kmax, hay.blockTable(), 1000, scores);
        for (int h = 0; h < 2; h++) {
            for (int t = 0; t < 1000; t++) {
                int kb = NeedleHaystack.offset(layout, hay.blockTable(), h, t);
                float dot = 0;
                for (int d = 0; d < 8; d++) {
                    dot += hay.queries()[h * 8 + d] * hay.keys()[kb + d];
                }
                assertThat(scores[h * pages + t / 16]).isGreaterThanOrEqualTo(dot - 1e-4f);
            }
        }
        int[] selected = new int[2 * pages];
        int count = kernels.selectPages(layout, scores, 1000, 160, selected, pages);
        assertThat(count).isEqualTo(10); // min(max(3, 160/16), 63)
        for (int h = 0; h < 2; h++) {
            assertThat(selected[h * pages + count - 1]).isEqualTo(pages - 1);
            float weakestChosen = Float.POSITIVE_INFINITY;
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            for (int i = 0; i < count - 1; i++) {
                int p = selected[h * pages + i];
                chosen.add(p);
                weakestChosen = Math.min(weakestChosen, scores[h * pages + p]);
                if (i > 0) {
                    assertThat(p).isGreaterThan(selected[h * pages + i - 1]);
                }
            }
            for (int p = 0; p < pages - 1; p++) {
                if (!chosen.contains(p)) {
                    assertThat(scores[h * pages + p]).isLessThanOrEqualTo(weakestChosen);
                }
            }
            assertThat(chosen).contains(hay.needlePage());
        }
        assertThat(PageSelection.selectedCount(1000, 16, 16)).isEqualTo(3); // the floor of 3 pages
    }

    @Test
    void budgetCoveringTheContextEqualsDenseExactly() {
        NeedleHaystack hay = NeedleHaystack.generate(new SplittableRandom(5), 777, 4, 16, 16, 4, 0.5, 6.0);
        KvLayout layout = hay.layout();
        int pages = layout.pagesFor(777);
        float[] kmin = new float[(int) layout.statFloats()];
        float[] kmax = new float[(int) layout.statFloats()];
        kernels.pageStats(layout, hay.keys(), hay.blockTable(), 777, kmin, kmax);
        float[] scores = new float[4 * pages];
        kernels.scorePages(layout, hay.queries(), kmin, kmax, hay.blockTable(), 777, scores);
        int[] selected = new int[4 * pages];
        int count = kernels.selectPages(layout, scores, 777, 777, selected, pages);
        assertThat(count).isEqualTo(pages);
        float[] sparse = new float[4 * 16];
        kernels.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), 777, selected, pages, count,
                sparse);
        float[] dense = new float[4 * 16];
        kernels.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), 777,
                NeedleTrials.allPages(4, pages), pages, pages, dense);
        assertThat(sparse).isEqualTo(dense);
        NeedleTrials.Trial trial = NeedleTrials.trial(kernels, hay, 4096);
        assertThat(trial.recall()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(trial.relError()).isEqualTo(0.0);
    }
}
