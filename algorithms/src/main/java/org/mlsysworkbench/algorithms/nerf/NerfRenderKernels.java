package org.mlsysworkbench.algorithms.nerf;

/**
 * Kernel contract of the NeRF view renderer: march, mask, colour network per sample, composite. The CPU twin is
 * {@link CpuNerfRenderKernels}; a Vulkan implementation registers itself on a Vulkan backend and must agree with the
 * twin within 1e-3 per channel. Implementations are thread-safe.
 */
public interface NerfRenderKernels {

    /** Renders {@code w x h} pixels of {@code model} from {@code pose} (camera-to-world 3x4, row-major). */
    NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] background,
                              EnergyModel energy);

    /** Human-readable name for benchmark rows ("cpu-java", "vulkan"). */
    String name();
}
