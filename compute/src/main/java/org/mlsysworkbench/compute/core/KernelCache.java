package org.mlsysworkbench.compute.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The compute pipelines one kernel family has built, by spec: built on first use through the context, reused
 * after, closed together. Every Vulkan kernel family (generic, sampling, A2Q, Low-bit, attention, CNN
 * quantization) keeps one instead of its own map. Uses a context it does not own; not thread-safe: use it from
 * the thread that calls the context.
 */
public final class KernelCache implements AutoCloseable {

    // not owned
    private final GpuContext gpu;
    private final String owner;
    // owned
    private final Map<KernelSpec, ComputeKernel> kernels = new HashMap<>();
    private boolean closed;

    /** @param owner the family's name, for the message when it is used after {@link #close()} */
    public KernelCache(GpuContext gpu, String owner) {
        this.gpu = gpu;
        this.owner = owner;
    }

    /** The pipeline for {@code spec}, built on first use. */
    public ComputeKernel get(KernelSpec spec) {
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
        return kernels.computeIfAbsent(spec, gpu::kernel);
    }

    /** Pipelines built so far. */
    public int size() {
        return kernels.size();
    }

    /** Closes every pipeline; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ComputeKernel k : kernels.values()) {
            k.close();
        }
        kernels.clear();
    }
}
