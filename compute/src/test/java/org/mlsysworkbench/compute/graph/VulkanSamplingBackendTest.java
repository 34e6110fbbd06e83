package org.mlsysworkbench.compute.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.graph.sampling.HopSample;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingConfig;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingExperiment;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingKernels;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingResult;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.kernels.VulkanBackend;
import org.mlsysworkbench.compute.testing.GpuTests;

/** The sampling contract on the Vulkan backend: registered, used by the experiment, and its lifecycle. */
@Tag("gpu")
class VulkanSamplingBackendTest {

    @Test
    void experimentOnVulkanMovesTheSameBytesAsOnTheCpu() {
        GpuTests.requireDevice();
        SamplingConfig c = SamplingConfig.clusteredIo();
        c = new SamplingConfig(c.schemaVersion(), 5, "sbm", "", "", 2000, 5, 5, 0.8, 16, 2.0, "products", 14, 100,
                java.util.List.of(4, 8), false, 100, "clustered", "fused", 0.1, true, true, "memory-aware", true, 16, 1,
                0.01, 5e-4, 0.5, false, "sage", "both");
        SamplingResult cpu = new SamplingExperiment().run(c, RunContext.inMemory(c.seed())
                .withMetrics(new RecordingMetricsSink()));
        try (VulkanBackend vk = VulkanBackend.create(null)) {
            assertThat(vk.kernels(SamplingKernels.class)).isPresent();
            RecordingMetricsSink sink = new RecordingMetricsSink();
            SamplingResult gpu = new SamplingExperiment().run(c, new RunContext(new SplittableRandom(c.seed()),
                    ProgressListener.NONE, CancellationToken.none(), sink, vk, null));
            // the same draws, so the same batches, inputs and bytes; the ID numbering may differ, which
            // changes nothing that is measured here
            assertThat(gpu.bytesNaive()).isEqualTo(cpu.bytesNaive());
            assertThat(gpu.bytesMatch()).isEqualTo(cpu.bytesMatch());
            assertThat(gpu.bytesMatchReorder()).isEqualTo(cpu.bytesMatchReorder());
            assertThat(gpu.hops()).usingRecursiveComparison().isEqualTo(cpu.hops());
            assertThat(sink.last("sampled_edges")).isPositive();
            assertThat(gpu.trainLoss()[0]).isFinite();
        }
    }

    @Test
    void closedKernelsRefuseWorkAndLeaveNothingOpen() {
        GpuContext gpu = GpuTests.openContext();
        VulkanSamplingKernels k = new VulkanSamplingKernels(gpu);
        var g = RmatGenerator.generate(RmatGenerator.Params.graph500(8, 4), 1);
        HopSample h = k.sampleHop(g, new int[] {0, 1, 2}, 3, false, 1);
        assertThat(h.numDst()).isEqualTo(3);
        k.close();
        k.close();
        assertThatThrownBy(() -> k.sampleHop(g, new int[] {0, 1, 2, 3, 4}, 3, false, 2))
                .isInstanceOf(IllegalStateException.class);
        GpuTests.closeClean(gpu);
    }
}
