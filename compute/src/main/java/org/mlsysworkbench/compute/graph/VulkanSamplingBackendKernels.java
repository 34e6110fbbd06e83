package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.sampling.Block;
import org.mlsysworkbench.algorithms.graph.sampling.HopSample;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingKernels;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;

/**
 * {@link VulkanSamplingKernels} confined to the Vulkan backend's GPU thread (STYLE rule 17): experiments call
 * it from their worker thread and every Vulkan call happens on the GPU thread. Registered by
 * {@code VulkanBackend}; the backend closes it (before its context) when it closes. Thread-safe by
 * confinement.
 */
public final class VulkanSamplingBackendKernels implements SamplingKernels, AutoCloseable {

    // not owned
    private final GpuThread thread;
    // owned; created and closed on the GPU thread
    private final VulkanSamplingKernels kernels;

    public VulkanSamplingBackendKernels(GpuThread thread, GpuContext gpu) {
        this.thread = thread;
        this.kernels = thread.call(() -> new VulkanSamplingKernels(gpu));
    }

    @Override
    public HopSample sampleHop(CsrGraph g, int[] dst, int fanout, boolean replace, int seed) {
        return thread.call(() -> kernels.sampleHop(g, dst, fanout, replace, seed));
    }

    @Override
    public Block fusedMap(HopSample hop) {
        return thread.call(() -> kernels.fusedMap(hop));
    }

    @Override
    public void aggregateMean(Block block, float[] x, int dim, float[] out) {
        thread.run(() -> kernels.aggregateMean(block, x, dim, out));
    }

    @Override
    public void close() {
        thread.run(kernels::close);
    }
}
