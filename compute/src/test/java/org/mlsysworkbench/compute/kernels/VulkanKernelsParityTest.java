package org.mlsysworkbench.compute.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.core.kernels.CpuBackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.CpuGenericKernels;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.testing.GpuTests;

/**
 * Every Vulkan kernel against its CPU twin on seeded random data and edge sizes: 0, 1, non-multiples of
 * the workgroup, and (with a 32-wide workgroup) more than 65,535 workgroups, which needs the 2-D fold.
 * Integer results compare exactly; float tolerances sit next to the assertions.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanKernelsParityTest {

    /** Sizes around workgroup (256) and block (2048) boundaries. */
    private static final int[] SIZES = {0, 1, 7, 255, 256, 257, 2047, 2048, 2049, 100_003};

    private final CpuBackendKernels cpu = new CpuBackendKernels();
    private final CpuGenericKernels cpuGeneric = new CpuGenericKernels();
    private GpuContext gpu;
    private VulkanKernels vk;
    private VulkanKernels narrow;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        vk = new VulkanKernels(gpu);
        narrow = new VulkanKernels(gpu, 32, 1);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
            narrow.close();
        }
        GpuTests.closeClean(gpu);
    }

    private static float[] randomFloats(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    private static int[] randomInts(SplittableRandom r, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(bound);
        }
        return v;
    }

    @Test
    void saxpyIsBitIdentical() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : SIZES) {
            float[] x = randomFloats(r, n);
            float[] y = randomFloats(r, n);
            float[] expected = y.clone();
            cpu.saxpy(1.5f, x, expected);
            vk.saxpy(1.5f, x, y);
            // `precise` in the shader: no FMA, so exactly Java's two roundings
            same(expected, y, "n=" + n);
        }
    }

    @Test
    void saxpyBeyond65535Workgroups() {
        int n = 65_535 * 32 + 33;   // 65,537 groups of 32: folded into a 2-D grid
        SplittableRandom r = new SplittableRandom(2);
        float[] x = randomFloats(r, n);
        float[] y = randomFloats(r, n);
        float[] expected = y.clone();
        cpu.saxpy(-0.75f, x, expected);
        narrow.saxpy(-0.75f, x, y);
        same(expected, y, "wide");
    }

    @Test
    void gemmMatchesOnRaggedSizesAndSplitK() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 1}, {1, 70, 3}, {65, 63, 17}, {129, 200, 64}, {33, 47, 3000}, {64, 64, 1024}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = randomFloats(r, m * k);
            float[] b = randomFloats(r, k * n);
            float[] expected = new float[m * n];
            cpu.gemm(m, n, k, a, b, expected);
            float[] c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN);   // C is overwritten, never accumulated into
            vk.gemm(m, n, k, a, b, c);
            // |a|,|b| <= 1: each sum of k products differs only by rounding order and FMA,
            // bounded by k * 2^-23 * max partial sum (<= k); 3e-6 * k covers k = 3000 (K split into 3 chunks)
            double tol = 3e-6 * k;
            for (int i = 0; i < m * n; i++) {
                assertThat((double) c[i]).as("%dx%dx%d at %d", m, n, k, i)
                        .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(tol));
            }
        }
        float[] none = new float[0];
        vk.gemm(0, 5, 5, none, new float[25], none);
        float[] zeroK = {7f, 7f};
        vk.gemm(1, 2, 0, none, none, zeroK);
        assertThat(zeroK).containsExactly(0f, 0f);
    }

    @Test
    void sumMatchesWithinFloatTreeError() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : SIZES) {
            float[] x = randomFloats(r, n);
            for (int i = 0; i < n; i++) {
                x[i] = Math.abs(x[i]);
            }
            double expected = cpu.sum(x);
            // float32 partials over 2048-element blocks: relative error well under 1e-6 for positive data
            assertThat(vk.sum(x)).as("n=%d", n).isCloseTo(expected,
                    org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, expected)));
        }
        float[] big = new float[65_535 * 32 + 40];
        java.util.Arrays.fill(big, 0.25f);
        assertThat(narrow.sum(big)).isEqualTo(big.length * 0.25);   // powers of two: exact
    }

    @Test
    void exclusiveScanIsExactIncludingWrapAround() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : SIZES) {
            int[] v = randomInts(r, n, 1000);
            same(cpuGeneric.exclusiveScan(v), vk.exclusiveScan(v), String.format("n=%d", n));
        }
        int[] large = new int[5_000_000];   // 2,442 blocks: three levels of block sums
        java.util.Arrays.fill(large, 1000);  // the total wraps past 2^31
        same(cpuGeneric.exclusiveScan(large), vk.exclusiveScan(large), "");
        int[] wide = randomInts(r, 65_535 * 32 + 5, 3);   // 65,536 blocks of 32 with the narrow kernels
        same(cpuGeneric.exclusiveScan(wide), narrow.exclusiveScan(wide), "");
    }

    @Test
    void compactionKeepsFlaggedValuesInOrder() {
        SplittableRandom r = new SplittableRandom(6);
        for (int n : SIZES) {
            int[] values = randomInts(r, n, 1 << 30);
            int[] flags = randomInts(r, n, 3);   // 0 drops; 1 and 2 keep
            same(cpuGeneric.compact(values, flags), vk.compact(values, flags), String.format("n=%d", n));
        }
        assertThat(vk.compact(new int[] {1, 2, 3}, new int[] {0, 0, 0})).isEmpty();
        int[] all = {4, 5, 6};
        same(all, vk.compact(all, new int[] {9, -1, 1}), "");
        int n = 65_535 * 32 + 7;
        int[] values = randomInts(r, n, 1000);
        int[] flags = randomInts(r, n, 2);
        same(cpuGeneric.compact(values, flags), narrow.compact(values, flags), "");
    }

    @Test
    void gatherAndScatterMatch() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : SIZES) {
            float[] source = randomFloats(r, Math.max(1, n));
            int[] idx = randomInts(r, n, source.length);
            same(cpuGeneric.gather(source, idx), vk.gather(source, idx), String.format("n=%d", n));
            int size = n + 13;
            int[] perm = permutation(r, size);
            int[] distinct = java.util.Arrays.copyOf(perm, n);
            float[] values = randomFloats(r, n);
            same(cpuGeneric.scatter(values, distinct, size), vk.scatter(values, distinct, size),
                    String.format("n=%d", n));
        }
        assertThatThrownBy(() -> vk.gather(new float[3], new int[] {0, 3})).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("indices[1] = 3");
        assertThatThrownBy(() -> vk.scatter(new float[2], new int[] {1, 1}, 4)).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("repeats");
        int n = 65_535 * 32 + 3;
        float[] source = randomFloats(r, n);
        int[] idx = randomInts(r, n, n);
        same(cpuGeneric.gather(source, idx), narrow.gather(source, idx), "");
    }

    /** Exact comparison naming the first differing element (AssertJ's diff is quadratic on large arrays). */
    private static void same(int[] expected, int[] actual, String what) {
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int i = java.util.Arrays.mismatch(expected, actual);
        assertThat(i).as("%s: first mismatch at %d (expected %s, got %s)", what, i,
                i >= 0 ? expected[i] : 0, i >= 0 ? actual[i] : 0).isEqualTo(-1);
    }

    private static void same(float[] expected, float[] actual, String what) {
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int i = java.util.Arrays.mismatch(expected, actual);
        assertThat(i).as("%s: first mismatch at %d (expected %s, got %s)", what, i,
                i >= 0 ? expected[i] : 0, i >= 0 ? actual[i] : 0).isEqualTo(-1);
    }

    private static int[] permutation(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void topKMatchesIncludingTiesAndSpecialValues() {
        SplittableRandom r = new SplittableRandom(8);
        int[] ks = {1, 5, 64, 512};
        for (int n : SIZES) {
            float[] v = randomFloats(r, n);
            for (int k : ks) {
                same(cpuGeneric.topK(v, k), vk.topK(v, k), String.format("n=%d k=%d", n, k));
            }
        }
        float[] ties = new float[5000];
        for (int i = 0; i < ties.length; i++) {
            ties[i] = i % 7;   // many equal values: smaller index first
        }
        ties[4321] = Float.POSITIVE_INFINITY;
        ties[17] = Float.NaN;
        ties[99] = -0.0f;
        same(cpuGeneric.topK(ties, 100), vk.topK(ties, 100), "");
        assertThat(vk.topK(ties, 100)[0]).isEqualTo(17);   // NaN ranks above +Inf
        assertThat(vk.topK(ties, 0)).isEmpty();
        same(cpuGeneric.topK(ties, 1000), vk.topK(ties, 1000), "");   // CPU fallback above 512
        float[] wide = randomFloats(r, 65_535 * 64 + 11);   // 65,536 blocks of 64 with the narrow kernels
        same(cpuGeneric.topK(wide, 20), narrow.topK(wide, 20), "");
    }

    @Test
    void histogramIsExact() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : SIZES) {
            float[] v = randomFloats(r, n);
            for (int bins : new int[] {1, 10, 4096, 5000}) {   // 5000 bins: global atomics instead of shared
                same(cpuGeneric.histogram(v, -0.5f, 0.75f, bins), vk.histogram(v, -0.5f, 0.75f, bins),
                        String.format("n=%d bins=%d", n, bins));
            }
        }
        float[] edges = {-1f, 1f, 0.999999f, Float.NaN, 2f, -1.0000001f};
        assertThat(vk.histogram(edges, -1f, 1f, 4)).containsExactly(1, 0, 0, 2);
        assertThatThrownBy(() -> vk.histogram(edges, 1f, 1f, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lo < hi");
        float[] wide = randomFloats(r, 65_535 * 32 + 9);
        same(cpuGeneric.histogram(wide, -1f, 1f, 64), narrow.histogram(wide, -1f, 1f, 64), "");
    }
}
