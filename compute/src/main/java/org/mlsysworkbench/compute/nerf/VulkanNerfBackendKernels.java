package org.mlsysworkbench.compute.nerf;

import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;

/**
 * {@link VulkanNerfRenderKernels} confined to the Vulkan backend's GPU thread (STYLE rule 17): the preview thread
 * and benchmarks call it from their own threads and every Vulkan call happens on the GPU thread. Registered by
 * {@code VulkanBackend}, which closes it before its context. Thread-safe by confinement.
 */
public final class VulkanNerfBackendKernels implements NerfRenderKernels, AutoCloseable {

    // not owned
    private final GpuThread thread;
    // owned; created and closed on the GPU thread
    private final VulkanNerfRenderKernels kernels;

    public VulkanNerfBackendKernels(GpuThread thread, GpuContext gpu) {
        this.thread = thread;
        this.kernels = thread.call(() -> new VulkanNerfRenderKernels(gpu));
    }

    @Override
    public NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] background,
                                     EnergyModel energy) {
        return thread.call(() -> kernels.render(model, pose, focal, w, h, background, energy));
    }

    @Override
    public String name() {
        return "vulkan";
    }

    @Override
    public void close() {
        thread.run(kernels::close);
    }
}
