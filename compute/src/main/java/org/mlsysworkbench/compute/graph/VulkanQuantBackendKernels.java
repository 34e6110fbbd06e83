package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.quant.QuantKernels;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;

/**
 * {@link VulkanQuantKernels} confined to the Vulkan backend's GPU thread (STYLE rule 17): the A2Q experiment
 * calls it from its worker thread and every Vulkan call happens on the GPU thread. Registered by
 * {@code VulkanBackend}, which closes it before its context. Thread-safe by confinement.
 */
public final class VulkanQuantBackendKernels implements QuantKernels, AutoCloseable {

    // not owned
    private final GpuThread thread;
    // owned; created and closed on the GPU thread
    private final VulkanQuantKernels kernels;

    public VulkanQuantBackendKernels(GpuThread thread, GpuContext gpu) {
        this.thread = thread;
        this.kernels = thread.call(() -> new VulkanQuantKernels(gpu));
    }

    @Override
    public void quantize(float[] x, int n, int f, float[] alpha, int[] qmax, int[] codes) {
        thread.run(() -> kernels.quantize(x, n, f, alpha, qmax, codes));
    }

    @Override
    public void dequantize(int[] codes, int n, int f, float[] alpha, float[] out) {
        thread.run(() -> kernels.dequantize(codes, n, f, alpha, out));
    }

    @Override
    public void aggregate(int[] rowPtr, int[] cols, float[] vals, int rows, int[] codes, float[] alpha, int f,
                          float[] out) {
        thread.run(() -> kernels.aggregate(rowPtr, cols, vals, rows, codes, alpha, f, out));
    }

    @Override
    public void close() {
        thread.run(kernels::close);
    }
}
