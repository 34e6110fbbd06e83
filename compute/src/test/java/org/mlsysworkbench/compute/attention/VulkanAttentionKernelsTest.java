package org.mlsysworkbench.compute.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.attention.CpuAttentionKernels;
import org.mlsysworkbench.algorithms.attention.KvLayout;
import org.mlsysworkbench.algorithms.attention.NeedleHaystack;
import org.mlsysworkbench.algorithms.attention.NeedleTrials;
import org.mlsysworkbench.algorithms.attention.PrefillPlan;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.testing.GpuTests;

/** Every Vulkan attention kernel against its CPU twin: floats within 1e-4 (fp32), page ids exact. */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanAttentionKernelsTest {

    /** Contract tolerance for fp32 results (max abs error). */
    static final double TOLERANCE = 1e-4;

    private GpuContext gpu;
    private VulkanAttentionKernels vk;
    private CpuAttentionKernels cpu;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        // a small loop budget forces the multi-pass prefill path on small inputs
        vk = new VulkanAttentionKernels(gpu, null, 2_000);
        cpu = new CpuAttentionKernels(2);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
        }
        if (cpu != null) {
            cpu.close();
        }
        GpuTests.closeClean(gpu);
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static double maxAbs(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void prefillMatchesTheCpuTwinForDenseAndStreamingHeadsOverManyPasses() {
        int t = 333;
        int hq = 4;
        int hkv = 2;
        int dim = 16;
        SplittableRandom r = new SplittableRandom(11);
        float[] q = gaussian(r, hq * t * dim);
        float[] k = gaussian(r, hkv * t * dim);
        float[] v = gaussian(r, hkv * t * dim);
        PrefillPlan plan = PrefillPlan.build(t, hq, hkv, dim, 32, 16, new boolean[] {false, true}, 12, 40);
        assertThat(vk.entriesPerPass(16, dim)).isLessThan(plan.keyTiles()); // several passes
        float[] a = new float[hq * t * dim];
        float[] b = new float[hq * t * dim];
        assertThat(vk.prefill(plan, q, k, v, a)).isEqualTo(cpu.prefill(plan, q, k, v, b));
        assertThat(maxAbs(a, b)).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void selectionPipelineMatchesExactlyOnTheNeedleFixture() {
        for (int seed = 0; seed < 3; seed++) {
            NeedleHaystack hay = NeedleHaystack.generate(new SplittableRandom(seed), 5000, 4, 32, 64, 16,
                    0.1 + 0.4 * seed, 9.0);
            KvLayout layout = hay.layout();
            int tokens = hay.tokens();
            int pages = layout.pagesFor(tokens);
            float[][] kmin = new float[2][(int) layout.statFloats()];
            float[][] kmax = new float[2][(int) layout.statFloats()];
            float[][] scores = new float[2][4 * pages];
            int[][] selected = new int[2][4 * pages];
            float[][] out = new float[2][4 * 32];
            float[][] dense = new float[2][4 * 32];
            int[] counts = new int[2];
            org.mlsysworkbench.algorithms.attention.AttentionKernels[] impls = {cpu, vk};
            for (int i = 0; i < 2; i++) {
                var impl = impls[i];
                impl.pageStats(layout, hay.keys(), hay.blockTable(), tokens, kmin[i], kmax[i]);
                impl.scorePages(layout, hay.queries(), kmin[0], kmax[0], hay.blockTable(), tokens, scores[i]);
                counts[i] = impl.selectPages(layout, scores[0], tokens, 1024, selected[i], pages);
                impl.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), tokens, selected[0],
                        pages, counts[0], out[i]);
                impl.decode(layout, hay.queries(), hay.keys(), hay.values(), hay.blockTable(), tokens,
                        NeedleTrials.allPages(4, pages), pages, pages, dense[i]);
            }
            assertThat(kmin[1]).isEqualTo(kmin[0]); // min and max are exact
            assertThat(kmax[1]).isEqualTo(kmax[0]);
            assertThat(maxAbs(scores[1], scores[0])).isLessThanOrEqualTo(TOLERANCE);
            assertThat(counts[1]).isEqualTo(counts[0]).isEqualTo(16);
            assertThat(selected[1]).isEqualTo(selected[0]); // page ids: exact
            assertThat(maxAbs(out[1], out[0])).isLessThanOrEqualTo(TOLERANCE);
            assertThat(maxAbs(dense[1], dense[0])).isLessThanOrEqualTo(TOLERANCE);
            // and the GPU's own scores select the same pages (F28)
            int[] own = new int[4 * pages];
            vk.selectPages(layout, scores[1], tokens, 1024, own, pages);
            assertThat(own).isEqualTo(selected[0]);
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        VulkanAttentionKernels k = new VulkanAttentionKernels(gpu, null);
        KvLayout layout = new KvLayout(1, 1, 4, 16, 16, 4);
        float[] scores = {1f};
        int[] sel = new int[1];
        assertThat(k.selectPages(layout, scores, 10, 4096, sel, 1)).isEqualTo(1);
        k.close();
        k.close();
        assertThatThrownBy(() -> k.selectPages(layout, scores, 10, 4096, sel, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
