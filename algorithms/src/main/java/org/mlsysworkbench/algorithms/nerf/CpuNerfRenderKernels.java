package org.mlsysworkbench.algorithms.nerf;

/**
 * The plain-Java twin of {@link NerfRenderKernels}: the tiled fast path {@link TiledNerfRenderer} (equal to the
 * reference {@link NerfRenderer} within float rounding) on a worker pool it owns. Thread-safe; close it to stop the
 * pool.
 */
public final class CpuNerfRenderKernels implements NerfRenderKernels, AutoCloseable {

    private final Parallel parallel;

    /** All available processors. */
    public CpuNerfRenderKernels() {
        this(0);
    }

    /** {@code threads <= 0}: all available processors. */
    public CpuNerfRenderKernels(int threads) {
        this.parallel = new Parallel(threads);
    }

    @Override
    public NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] background,
                                     EnergyModel energy) {
        return TiledNerfRenderer.render(model, pose, focal, w, h, background, energy, parallel);
    }

    @Override
    public String name() {
        return "cpu-java-" + parallel.threads() + "t";
    }

    @Override
    public void close() {
        parallel.close();
    }
}
