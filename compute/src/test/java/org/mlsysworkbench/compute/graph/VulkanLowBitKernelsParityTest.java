package org.mlsysworkbench.compute.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import org.mlsysworkbench.algorithms.graph.distributed.CpuLowBitKernels;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitCodec;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitKernels;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitMessage;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieConfig;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieExperiment;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieResult;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.kernels.VulkanBackend;
import org.mlsysworkbench.compute.testing.GpuTests;

/**
 * The Low-bit Module on Vulkan against its CPU twin (CpuLowBitKernels): identical side information and packed
 * codes for 1, 2, 4 and 8 bits with both side-information formats (the rounding draws are the same
 * counter-based hash), dequantized values within 1e-6; the GPU path's codes are unbiased; the contract is
 * registered on the Vulkan backend and distributed training through it matches the CPU run; lifecycle.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanLowBitKernelsParityTest {

    private final CpuLowBitKernels cpu = new CpuLowBitKernels();
    private GpuContext gpu;
    private VulkanLowBitKernels vk;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        vk = new VulkanLowBitKernels(gpu);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
            vk.close(); // idempotent
        }
        GpuTests.closeClean(gpu);
    }

    /** Rows with mixed scales, a constant row, an outlier row and gradient-sized values. */
    private static float[] rows(int rows, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                double v = r.nextGaussian();
                x[i * d + j] = (float) (i == 3 ? 0.75 : i % 5 == 1 ? v * 1e-4 : i % 7 == 2 && j == 0 ? 50 : v);
            }
        }
        return x;
    }

    @Test
    void packedCodesAndDecodedValuesMatchTheCpuTwin() {
        int rows = 300;   // more than one workgroup of rows
        for (int d : new int[] {16, 45, 128}) {
            float[] x = rows(rows, d, d);
            int[] nodes = new int[rows];
            for (int i = 0; i < rows; i++) {
                nodes[i] = 7 * i + 11;
            }
            for (int bits : new int[] {1, 2, 4, 8}) {
                for (LowBitCodec.Side side : LowBitCodec.Side.values()) {
                    LowBitMessage c = cpu.quantize(x, rows, d, nodes, bits, side, 0x5EED + d);
                    LowBitMessage g = vk.quantize(x, rows, d, nodes, bits, side, 0x5EED + d);
                    String what = "d=" + d + ", " + bits + " bits, " + side;
                    assertThat(g.lo()).as(what).containsExactly(c.lo());
                    assertThat(g.range()).as(what).containsExactly(c.range());
                    assertThat(g.words()).as(what + ": packed codes").containsExactly(c.words());
                    float[] dc = new float[rows * d];
                    float[] dg = new float[rows * d];
                    cpu.dequantize(c, dc);
                    vk.dequantize(g, dg);
                    for (int i = 0; i < dc.length; i++) {
                        // parity contract: 1e-6 absolute (the same two roundings on both sides)
                        assertThat(dg[i]).as("%s value %d", what, i).isCloseTo(dc[i], within(1e-6f));
                    }
                }
            }
        }
    }

    @Test
    void gpuOneBitCodesAreUnbiased() {
        // 10^4 draws of one row: the same values under 10^4 node ids, which the counter hash makes independent
        int d = 64;
        int draws = 10_000;
        SplittableRandom r = new SplittableRandom(5);
        float[] h = new float[d];
        for (int j = 0; j < d; j++) {
            h[j] = (float) r.nextGaussian() * (j % 2 == 0 ? 1 : 1e-3f);   // feature and gradient scales
        }
        float[] x = new float[draws * d];
        int[] nodes = new int[draws];
        for (int i = 0; i < draws; i++) {
            System.arraycopy(h, 0, x, i * d, d);
            nodes[i] = i;
        }
        LowBitMessage m = vk.quantize(x, draws, d, nodes, 1, LowBitCodec.Side.FP32, 1234);
        float[] out = new float[draws * d];
        vk.dequantize(m, out);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : h) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < draws; i++) {
                mean += out[i * d + j];
            }
            mean /= draws;
            double p = (h[j] - lo) / (hi - lo);
            double sigma = (hi - lo) * Math.sqrt(p * (1 - p) / draws);
            // within 3 sigma of h (plus float rounding of the decode, 1e-6)
            assertThat(Math.abs(mean - h[j])).as("column %d", j).isLessThanOrEqualTo(3 * sigma + 1e-6);
        }
    }

    @Test
    void backendRegistersTheCodecAndTrainingThroughItMatchesTheCpu() {
        SylvieConfig c = new SylvieConfig(1, 3, "sbm", 4, "lp", 1, List.of(1), 0, false, 1, 4, 10, 5, 0, List.of(),
                128, 1);
        RecordingMetricsSink cpuSink = new RecordingMetricsSink();
        SylvieResult onCpu = new SylvieExperiment().run(c, RunContext.inMemory(3).withMetrics(cpuSink));
        try (VulkanBackend backend = VulkanBackend.create(null)) {
            assertThat(backend.kernels(LowBitKernels.class)).get().isInstanceOf(VulkanLowBitBackendKernels.class);
            RecordingMetricsSink sink = new RecordingMetricsSink();
            SylvieResult onGpu = new SylvieExperiment().run(c, new RunContext(new SplittableRandom(3),
                    ProgressListener.NONE, CancellationToken.none(), sink, backend, null));
            // identical codes, so identical training: losses equal to the last bit
            assertThat(sink.series("loss_1-bit_s1")).isEqualTo(cpuSink.series("loss_1-bit_s1"));
            assertThat(onGpu.variants().get(1).bytesPerEpoch()).isEqualTo(onCpu.variants().get(1).bytesPerEpoch());
        }
    }

    @Test
    void closedKernelsRefuseWork() {
        VulkanLowBitKernels k = new VulkanLowBitKernels(gpu);
        LowBitMessage m = k.quantize(new float[] {1, 2, 3, 4}, 2, 2, new int[] {0, 1}, 1, LowBitCodec.Side.FP32, 1);
        assertThat(m.rows()).isEqualTo(2);
        k.close();
        k.close();
        assertThatThrownBy(() -> k.quantize(new float[2], 1, 2, new int[] {0}, 1, LowBitCodec.Side.FP32, 1))
                .isInstanceOf(IllegalStateException.class);
    }
}
