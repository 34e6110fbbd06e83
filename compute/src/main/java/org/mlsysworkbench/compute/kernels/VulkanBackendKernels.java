package org.mlsysworkbench.compute.kernels;

import org.mlsysworkbench.algorithms.core.kernels.BackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.GenericKernels;
import org.mlsysworkbench.compute.core.GpuThread;

/**
 * {@link BackendKernels} and {@link GenericKernels} on Vulkan: every call runs {@link VulkanKernels} on
 * the backend's GPU thread and blocks until the results are in the caller's arrays. Thread-safe (calls
 * are serialised on the GPU thread). Owned and closed by {@link VulkanBackend}.
 */
public final class VulkanBackendKernels implements BackendKernels, GenericKernels {

    // not owned
    private final GpuThread thread;
    private final VulkanKernels kernels;

    VulkanBackendKernels(GpuThread thread, VulkanKernels kernels) {
        this.thread = thread;
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return "vulkan";
    }

    /** GPU time of the dispatches of the last call on this backend, milliseconds. */
    public double lastGpuMs() {
        return thread.call(kernels::lastGpuMs);
    }

    @Override
    public void saxpy(float a, float[] x, float[] y) {
        thread.run(() -> kernels.saxpy(a, x, y));
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        thread.run(() -> kernels.gemm(m, n, k, a, b, c));
    }

    @Override
    public double sum(float[] x) {
        return thread.call(() -> kernels.sum(x));
    }

    @Override
    public int[] exclusiveScan(int[] values) {
        return thread.call(() -> kernels.exclusiveScan(values));
    }

    @Override
    public int[] compact(int[] values, int[] flags) {
        return thread.call(() -> kernels.compact(values, flags));
    }

    @Override
    public float[] gather(float[] source, int[] indices) {
        return thread.call(() -> kernels.gather(source, indices));
    }

    @Override
    public float[] scatter(float[] values, int[] indices, int size) {
        return thread.call(() -> kernels.scatter(values, indices, size));
    }

    @Override
    public int[] topK(float[] values, int k) {
        return thread.call(() -> kernels.topK(values, k));
    }

    @Override
    public int[] histogram(float[] values, float lo, float hi, int bins) {
        return thread.call(() -> kernels.histogram(values, lo, hi, bins));
    }
}
