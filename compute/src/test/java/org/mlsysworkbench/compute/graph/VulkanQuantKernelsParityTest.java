package org.mlsysworkbench.compute.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.graph.quant.A2qConfig;
import org.mlsysworkbench.algorithms.graph.quant.A2qExperiment;
import org.mlsysworkbench.algorithms.graph.quant.A2qResult;
import org.mlsysworkbench.algorithms.graph.quant.CpuQuantKernels;
import org.mlsysworkbench.algorithms.graph.quant.QuantKernels;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.kernels.VulkanBackend;
import org.mlsysworkbench.compute.testing.GpuTests;

/**
 * A2Q's quantized kernels on Vulkan against their CPU twin (CpuQuantKernels), on seeded inputs larger than one
 * workgroup: codes exactly, except where |x / alpha| lies within 1e-5 (relative) of a rounding boundary, where
 * they may differ by 1 (GPU division may be an ulp off Java's); dequantized values within 1e-6 relative;
 * the CSR aggregation over codes within 1e-5 of the output's largest magnitude (max abs error reported in the
 * message). The GIN experiment on the Vulkan backend evaluates through these kernels and matches the CPU run.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanQuantKernelsParityTest {

    private final CpuQuantKernels cpu = new CpuQuantKernels();
    private GpuContext gpu;
    private VulkanQuantKernels vk;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        vk = new VulkanQuantKernels(gpu);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
            vk.close(); // idempotent
        }
        GpuTests.closeClean(gpu);
    }

    private static float[] features(int n, int f, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (1 + (i / f) % 7));
        }
        return x;
    }

    private static float[] steps(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.exp(-5 + 5 * r.nextDouble()));   // |alpha| is used
        }
        return a;
    }

    private static int[] qmax(int n) {
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            q[i] = (1 << (i % 9)) - 1;   // 0 (zeroed row), 1, 3, ..., 255
        }
        return q;
    }

    @Test
    void quantizedCodesMatchExceptAtRoundingBoundaries() {
        int n = 3001;
        int f = 16;
        float[] x = features(n, f, 1);
        float[] a = steps(n, 2);
        int[] q = qmax(n);
        int[] c = new int[n * f];
        int[] g = new int[n * f];
        cpu.quantize(x, n, f, a, q, c);
        vk.quantize(x, n, f, a, q, g);
        int boundary = 0;
        for (int e = 0; e < c.length; e++) {
            if (g[e] != c[e]) {
                int i = e / f;
                double m = Math.min(Math.abs(x[e]) / Math.abs(a[i]), q[i]);
                double dist = Math.abs(m - Math.floor(m) - 0.5);
                assertThat(dist).as("code %d differs (cpu %d, gpu %d) away from a rounding boundary", e, c[e], g[e])
                        .isLessThanOrEqualTo(1e-5 * Math.max(1, m));
                assertThat(Math.abs(g[e] - c[e])).isEqualTo(1);
                boundary++;
            }
        }
        assertThat(boundary).as("codes differing at boundaries").isLessThan(c.length / 1000);
    }

    @Test
    void dequantizedValuesMatch() {
        int n = 2500;
        int f = 7;
        float[] a = steps(n, 3);
        int[] codes = new int[n * f];
        SplittableRandom r = new SplittableRandom(4);
        for (int e = 0; e < codes.length; e++) {
            codes[e] = r.nextInt(255) - 127;
        }
        float[] c = new float[n * f];
        float[] g = new float[n * f];
        cpu.dequantize(codes, n, f, a, c);
        vk.dequantize(codes, n, f, a, g);
        for (int e = 0; e < c.length; e++) {
            assertThat(Math.abs(g[e] - c[e])).as("element %d", e).isLessThanOrEqualTo(1e-6f * Math.abs(c[e]));
        }
    }

    @Test
    void quantizedAggregationMatchesWithinTolerance() {
        CsrGraph graph = RmatGenerator.generate(RmatGenerator.Params.graph500(12, 8), 5);
        int n = graph.numNodes();
        int[] ptr = graph.offsets();
        int[] cols = graph.indices();
        float[] vals = new float[cols.length];
        SplittableRandom r = new SplittableRandom(6);
        for (int k = 0; k < vals.length; k++) {
            vals[k] = (float) (0.5 + r.nextDouble());
        }
        for (int f : new int[] {1, 16, 33}) {
            float[] a = steps(n, 7 + f);
            int[] codes = new int[n * f];
            cpu.quantize(features(n, f, f), n, f, a, qmax(n), codes);
            float[] c = new float[n * f];
            float[] g = new float[n * f];
            cpu.aggregate(ptr, cols, vals, n, codes, a, f, c);
            vk.aggregate(ptr, cols, vals, n, codes, a, f, g);
            double scale = 0;
            double maxErr = 0;
            for (int e = 0; e < c.length; e++) {
                scale = Math.max(scale, Math.abs(c[e]));
                maxErr = Math.max(maxErr, Math.abs(g[e] - c[e]));
            }
            // same summation order, no fused multiply-add: 1e-5 of the largest output
            assertThat(maxErr).as("f %d: max abs error over scale %.3g", f, scale).isLessThanOrEqualTo(1e-5 * scale);
        }
    }

    @Test
    void closedKernelsRefuseWork() {
        VulkanQuantKernels k = new VulkanQuantKernels(gpu);
        int[] codes = new int[4];
        k.quantize(new float[] {1, -2, 3, 0}, 2, 2, new float[] {1, 1}, new int[] {3, 3}, codes);
        assertThat(codes).containsExactly(1, -2, 3, 0);
        k.close();
        k.close();
        assertThatThrownBy(() -> k.quantize(new float[4], 2, 2, new float[2], new int[2], new int[4]))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ginExperimentOnVulkanEvaluatesThroughTheKernels() {
        GpuTests.requireDevice();
        A2qConfig c = new A2qConfig(1, 3, "sbm", 1, 15, 5, 2.0, List.of(), false, List.of(), "gin", null);
        A2qResult onCpu = new A2qExperiment().run(c, RunContext.inMemory(3).withMetrics(new RecordingMetricsSink()));
        try (VulkanBackend backend = VulkanBackend.create(null)) {
            assertThat(backend.kernels(QuantKernels.class)).isPresent();
            A2qResult onGpu = new A2qExperiment().run(c, new RunContext(new SplittableRandom(3), ProgressListener.NONE,
                    CancellationToken.none(), new RecordingMetricsSink(), backend, null));
            // training runs on the CPU tape either way: the same bits; evaluation differs only by float order
            assertThat(onGpu.nodeBits()).isEqualTo(onCpu.nodeBits());
            assertThat(onGpu.scheme("A2Q").valSelectedAcc())
                    .isCloseTo(onCpu.scheme("A2Q").valSelectedAcc(), org.assertj.core.api.Assertions.within(0.01));
        }
    }
}
