package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.distributed.LowBitCodec;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitKernels;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitMessage;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;

/**
 * {@link VulkanLowBitKernels} confined to the Vulkan backend's GPU thread (STYLE rule 17): the simulated
 * workers' link threads call it concurrently and every Vulkan call happens on the GPU thread, one at a
 * time. Registered by {@code VulkanBackend} as the codec contract; the backend closes it (before its context).
 * Thread-safe by confinement.
 */
public final class VulkanLowBitBackendKernels implements LowBitKernels, AutoCloseable {

    // not owned
    private final GpuThread thread;
    // owned; created and closed on the GPU thread
    private final VulkanLowBitKernels kernels;

    public VulkanLowBitBackendKernels(GpuThread thread, GpuContext gpu) {
        this.thread = thread;
        this.kernels = thread.call(() -> new VulkanLowBitKernels(gpu));
    }

    @Override
    public LowBitMessage quantize(float[] x, int rows, int d, int[] nodes, int bits, LowBitCodec.Side side,
                                  int seed) {
        return thread.call(() -> kernels.quantize(x, rows, d, nodes, bits, side, seed));
    }

    @Override
    public void dequantize(LowBitMessage m, float[] out) {
        thread.run(() -> kernels.dequantize(m, out));
    }

    @Override
    public void close() {
        thread.run(kernels::close);
    }
}
