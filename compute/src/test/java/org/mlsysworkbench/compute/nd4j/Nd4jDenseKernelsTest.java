package org.mlsysworkbench.compute.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.kernels.CpuConv2d;
import org.mlsysworkbench.algorithms.core.kernels.CpuDenseKernels;

/** ND4J (OpenBLAS) against the plain-Java twin on the same inputs, plus lifecycle and native memory. */
class Nd4jDenseKernelsTest {

    private static Nd4jDenseKernels nd4j;
    private final CpuDenseKernels plain = new CpuDenseKernels();

    @BeforeAll
    static void start() {
        assertThat(Nd4jDenseKernels.available()).isTrue();
        nd4j = new Nd4jDenseKernels();
    }

    @AfterAll
    static void stop() {
        nd4j.close();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void backendIsCpuOpenBlas() {
        assertThat(nd4j.describe()).isEqualTo("CpuBackend / OPENBLAS");
    }

    @Test
    void gemmMatchesPlainJava() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 131;
        int n = 77;
        int k = 300;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        plain.gemm(m, n, k, a, b, c1);
        nd4j.gemm(m, n, k, a, b, c2);
        // two float32 summation orders over k = 300 terms in [-1, 1]
        assertThat(maxDiff(c1, c2)).isLessThan(1e-4);
    }

    @Test
    void conv2dMatchesPlainJavaWithPaddingStrideAndBias() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 3;
        int c = 4;
        int h = 11;
        int w = 10;
        int o = 6;
        for (int[] sp : new int[][] {{1, 1}, {2, 0}, {2, 1}}) {
            int stride = sp[0];
            int pad = sp[1];
            float[] x = random(r, n * c * h * w);
            float[] wt = random(r, o * c * 3 * 3);
            float[] bias = random(r, o);
            int size = n * o * CpuConv2d.outSize(h, 3, stride, pad) * CpuConv2d.outSize(w, 3, stride, pad);
            float[] y1 = new float[size];
            float[] y2 = new float[size];
            plain.conv2d(x, n, c, h, w, wt, o, 3, 3, bias, stride, pad, y1);
            nd4j.conv2d(x, n, c, h, w, wt, o, 3, 3, bias, stride, pad, y2);
            // 36 products per output: float32 rounding well under 1e-5
            assertThat(maxDiff(y1, y2)).as("stride %d pad %d", stride, pad).isLessThan(1e-5);
            plain.conv2d(x, n, c, h, w, wt, o, 3, 3, null, stride, pad, y1);
            nd4j.conv2d(x, n, c, h, w, wt, o, 3, 3, null, stride, pad, y2);
            assertThat(maxDiff(y1, y2)).isLessThan(1e-5);
        }
    }

    @Test
    void saxpyAndSumMatchPlainJava() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = random(r, 10_001);
        float[] y = random(r, 10_001);
        float[] expected = y.clone();
        for (int i = 0; i < x.length; i++) {
            expected[i] += 1.5f * x[i];
        }
        nd4j.saxpy(1.5f, x, y);
        assertThat(maxDiff(expected, y)).isLessThan(1e-6);
        double s = 0;
        for (float v : x) {
            s += v;
        }
        assertThat(nd4j.sum(x)).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** Process RSS minus the committed Java heap, after a GC: the native part of the footprint. */
    private static long nativeBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return Pointer.physicalBytes() - rt.totalMemory();
    }

    @Test
    void nativeMemoryStaysFlatOverManyCalls() throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        int n = 256;
        float[] a = random(r, n * n);
        float[] b = random(r, n * n);
        float[] c = new float[n * n];
        for (int i = 0; i < 100; i++) {
            nd4j.gemm(n, n, n, a, b, c);
        }
        long before = nativeBytes();
        for (int i = 0; i < 1000; i++) {
            nd4j.gemm(n, n, n, a, b, c);
        }
        // sizes larger than the first call's spill out of the learned workspace: they must be freed too
        float[] big = random(r, 512 * 512);
        float[] cbig = new float[512 * 512];
        for (int i = 0; i < 200; i++) {
            nd4j.gemm(512, 512, 512, big, big, cbig);
            nd4j.gemm(n, n, n, a, b, c);
        }
        long after = nativeBytes();
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "nd4j-native-memory.txt"), String.format(
                java.util.Locale.ROOT, "1000 x 256^3 + 200 x (512^3, 256^3) ND4J gemm: native RSS %.1f MB"
                        + " before, %.1f MB after (growth %.1f MB)%n", before / 1e6, after / 1e6,
                (after - before) / 1e6));
        // every array is closed per call: growth is allocator noise, far below one leaked call per step (768 KB x 1000)
        assertThat(after - before).as("native RSS growth in bytes").isLessThan(64L << 20);
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        Nd4jDenseKernels k = new Nd4jDenseKernels();
        k.close();
        k.close();
        assertThatThrownBy(() -> k.gemm(1, 1, 1, new float[1], new float[1], new float[1]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("after close");
    }
}
