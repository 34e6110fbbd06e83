package org.mlsysworkbench.compute.kernels;

import org.mlsysworkbench.algorithms.attention.AttentionKernels;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.kernels.BackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.GenericKernels;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitKernels;
import org.mlsysworkbench.algorithms.graph.quant.QuantKernels;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.compute.attention.VulkanAttentionKernels;
import org.mlsysworkbench.compute.cnnquant.VulkanQuantInferenceKernels;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;
import org.mlsysworkbench.compute.graph.VulkanLowBitBackendKernels;
import org.mlsysworkbench.compute.graph.VulkanQuantBackendKernels;
import org.mlsysworkbench.compute.graph.VulkanSamplingBackendKernels;
import org.mlsysworkbench.compute.nerf.VulkanNerfBackendKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "vulkan" {@link Backend}: one device, one GPU thread that owns the {@link GpuContext}, and the
 * Vulkan kernel contracts registered on it ({@link BackendKernels}, {@link GenericKernels},
 * {@link SamplingKernels}, {@link QuantKernels}, {@link LowBitKernels}, {@link NerfRenderKernels},
 * {@link AttentionKernels}, {@link QuantInferenceKernels}). Plain-Java signatures only, so {@code app} and
 * {@code views} can hold it. Closed by its creator (the app), which frees every Vulkan object; a second close does
 * nothing.
 */
public final class VulkanBackend extends Backend {

    private static final Logger LOG = LoggerFactory.getLogger(VulkanBackend.class);

    // owned
    private final GpuThread thread;
    private final GpuContext gpu;
    private final VulkanKernels kernels;
    private boolean closed;

    private VulkanBackend(GpuThread thread, GpuContext gpu, VulkanKernels kernels) {
        super("vulkan", gpu.device());
        this.thread = thread;
        this.gpu = gpu;
        this.kernels = kernels;
        VulkanBackendKernels impl = new VulkanBackendKernels(thread, kernels);
        register(BackendKernels.class, impl);
        register(GenericKernels.class, impl);
        register(SamplingKernels.class, new VulkanSamplingBackendKernels(thread, gpu));
        register(QuantKernels.class, new VulkanQuantBackendKernels(thread, gpu));
        register(AttentionKernels.class, new VulkanAttentionKernels(gpu, thread));
        register(LowBitKernels.class, new VulkanLowBitBackendKernels(thread, gpu));
        register(NerfRenderKernels.class, new VulkanNerfBackendKernels(thread, gpu));
        register(QuantInferenceKernels.class, new VulkanQuantInferenceKernels(gpu, thread));
    }

    /**
     * Opens the best Vulkan device matching {@code deviceFilter} (null/blank: the best of all; see
     * {@link GpuContext}), with validation per {@code -Dworkbench.validation}.
     *
     * @throws IllegalStateException when Vulkan or a matching device is missing (message says which)
     */
    public static VulkanBackend create(String deviceFilter) {
        GpuThread thread = new GpuThread("workbench-gpu");
        try {
            return thread.call(() -> {
                GpuContext gpu = GpuContext.create(deviceFilter);
                try {
                    return new VulkanBackend(thread, gpu, new VulkanKernels(gpu));
                } catch (RuntimeException e) {
                    gpu.close();
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            thread.close();
            throw e;
        }
    }

    /** Runs {@code task} with the context on the GPU thread (for tests and diagnostics). */
    public <T> T withContext(java.util.function.Function<GpuContext, T> task) {
        return thread.call(() -> task.apply(gpu));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        super.close();
        thread.run(() -> {
            kernels.close();
            gpu.close();
            if (!gpu.validationErrors().isEmpty()) {
                LOG.error("{} Vulkan validation errors during this backend's life", gpu.validationErrors().size());
            }
        });
        thread.close();
    }
}
