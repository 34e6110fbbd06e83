package org.mlsysworkbench.render.nerf;

import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderer;
import org.mlsysworkbench.algorithms.nerf.PngCodec;

/**
 * The interactive frame pipeline: one render thread (owned; {@link #close()} stops it) takes the newest request,
 * renders it through a {@link NerfRenderKernels} (CPU twin or Vulkan) and posts a {@link RenderedFrame} into a
 * latest-wins {@link FrameMailbox}. While the camera moves ({@code interactive}) frames are rendered at
 * {@code 1 / coarseFactor} resolution and upscaled; a still camera gets a coarse frame first, then the full one
 * unless a newer request arrived meanwhile. Requests are stamped with increasing generations. Thread-safe.
 */
public final class PreviewPipeline implements AutoCloseable {

    /**
     * One render request.
     *
     * @param compareModel null, or a second model rendered from the same camera: the image then shows
     *                     {@code model} left of the split and {@code compareModel} right of it (SNN | ANN)
     * @param split        the split position as a fraction of the width, 0..1
     * @param difference   with a compare model: right of the split shows {@code 4 |model - compareModel|} per channel
     *                     instead of the compare model
     * @param reference    null, or a data-set view: the model is then rendered from the view's pose (not the
     *                     camera's) and right of the split shows the view's ground truth or the error heat map
     */
    public record Request(NerfModel model, OrbitCamera camera, int width, int height, boolean interactive,
                          float[] background, EnergyModel energy, NerfModel compareModel, double split,
                          boolean difference, Reference reference) {

        /** A comparison request without a ground-truth view. */
        public Request(NerfModel model, OrbitCamera camera, int width, int height, boolean interactive,
                       float[] background, EnergyModel energy, NerfModel compareModel, double split,
                       boolean difference) {
            this(model, camera, width, height, interactive, background, energy, compareModel, split, difference, null);
        }

        /** A plain request (no comparison). */
        public Request(NerfModel model, OrbitCamera camera, int width, int height, boolean interactive,
                       float[] background, EnergyModel energy) {
            this(model, camera, width, height, interactive, background, energy, null, 1, false, null);
        }
    }

    /**
     * A data-set view to compare against.
     *
     * @param pose   its 3x4 camera-to-world matrix, row-major
     * @param focal  its focal length in pixels at {@code width}
     * @param rgb    its ground-truth pixels, {@code 3 * width * height} in 0..1 (on the preview's background)
     * @param error  true: right of the split shows the error heat map {@code |model - rgb|} (mean over channels,
     *               inferno, full scale at {@link #ERROR_FULL_SCALE}); false: the ground truth itself
     */
    public record Reference(float[] pose, float focal, int width, int height, float[] rgb, boolean error) {
    }

    /** The per-pixel error (mean absolute difference over the channels) shown at the top of the heat scale. */
    public static final float ERROR_FULL_SCALE = 0.25f;

    private final NerfRenderKernels kernels;
    private final FrameMailbox<RenderedFrame> mailbox;
    private final int coarseFactor;
    private final Thread worker;
    private final Object lock = new Object();
    private Request pending;
    private long pendingGeneration;
    private long generation;
    private volatile boolean closed;
    private double share = 1;

    public PreviewPipeline(NerfRenderKernels kernels, FrameMailbox<RenderedFrame> mailbox, int coarseFactor) {
        this.kernels = kernels;
        this.mailbox = mailbox;
        this.coarseFactor = Math.max(1, coarseFactor);
        this.worker = new Thread(this::loop, "nerf-preview");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues a request (replacing an unstarted older one) and returns its generation. */
    public long request(Request r) {
        synchronized (lock) {
            pending = r;
            pendingGeneration = ++generation;
            lock.notifyAll();
            return pendingGeneration;
        }
    }

    /**
     * Holds the render thread to a share of the machine: after a frame that took {@code t}, it waits
     * {@code t (1 / share - 1)} before the next one, so it renders at most {@code share} of the time (1: no wait;
     * 0: no frames until the share rises again).
     */
    public void setShare(double share) {
        synchronized (lock) {
            this.share = Math.max(0, Math.min(1, share));
            lock.notifyAll();
        }
    }

    /** The share set last (0..1). */
    public double share() {
        synchronized (lock) {
            return share;
        }
    }

    /** The newest generation handed out. */
    public long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    private boolean superseded(long gen) {
        synchronized (lock) {
            return generation != gen || closed;
        }
    }

    private void loop() {
        while (!closed) {
            Request r;
            long gen;
            synchronized (lock) {
                while ((pending == null || share <= 0) && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                r = pending;
                gen = pendingGeneration;
                pending = null;
            }
            try {
                long t0 = System.nanoTime();
                if (coarseFactor > 1) {
                    mailbox.post(gen, render(kernels, r, gen, coarseFactor));
                }
                if (!r.interactive() && !superseded(gen)) {
                    mailbox.post(gen, render(kernels, r, gen, 1));
                }
                throttle(System.nanoTime() - t0);
            } catch (RuntimeException e) {
                // close() interrupts a render in flight (and its owner may then stop the render pool):
                // that ends the loop, it is not an error
                if (closed || Thread.currentThread().isInterrupted()) {
                    return;
                }
                throw e;
            }
        }
    }

    /** Waits after a render that took {@code busyNanos} so that rendering keeps to the share; close() ends it. */
    private void throttle(long busyNanos) {
        synchronized (lock) {
            if (share >= 1 || share <= 0 || closed) {
                return;
            }
            long waitMs = (long) (busyNanos / 1e6 * (1 / share - 1));
            long end = System.currentTimeMillis() + waitMs;
            for (long left = waitMs; left > 0 && !closed && share < 1; left = end - System.currentTimeMillis()) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Renders one request synchronously at {@code 1 / factor} resolution, upscaled to the requested size. */
    public static RenderedFrame render(NerfRenderKernels kernels, Request r, long gen, int factor) {
        Reference ref = r.reference();
        int w = Math.max(1, (ref == null ? r.width() : ref.width()) / factor);
        int h = Math.max(1, (ref == null ? r.height() : ref.height()) / factor);
        long t0 = System.nanoTime();
        float[] pose = ref == null ? r.camera().pose() : ref.pose();
        float focal = ref == null ? r.camera().focal(w) : ref.focal() * w / ref.width();
        NerfRenderer.Frame f = kernels.render(r.model(), pose, focal, w, h, r.background(), r.energy());
        float[] rgb = f.rgb();
        if (ref != null) {
            int[] small = withReference(f.rgb(), ref, w, h, r.split());
            int[] heatSmall = Colormaps.apply(Colormaps.Map.INFERNO, f.energyPj(), 0, Colormaps.max(f.energyPj()),
                    new int[w * h]);
            double ms = (System.nanoTime() - t0) / 1e6;
            return new RenderedFrame(gen, factor > 1, r.width(), r.height(), upscale(small, w, h, r.width(),
                    r.height()), upscale(heatSmall, w, h, r.width(), r.height()), f, ms);
        }
        if (r.compareModel() != null) {
            NerfRenderer.Frame g = kernels.render(r.compareModel(), r.camera().pose(), r.camera().focal(w), w, h,
                    r.background(), r.energy());
            rgb = split(f.rgb(), g.rgb(), w, h, r.split(), r.difference());
        }
        int[] small = PngCodec.toArgb(rgb);
        int[] heatSmall = Colormaps.apply(Colormaps.Map.INFERNO, f.energyPj(), 0, Colormaps.max(f.energyPj()),
                new int[w * h]);
        double ms = (System.nanoTime() - t0) / 1e6;
        return new RenderedFrame(gen, factor > 1, r.width(), r.height(), upscale(small, w, h, r.width(), r.height()),
                upscale(heatSmall, w, h, r.width(), r.height()), f, ms);
    }

    /**
     * Columns left of {@code split * w} from {@code a}; the others from {@code b}, or {@code min(1, 4 |a - b|)} per
     * channel when {@code difference}.
     */
    static float[] split(float[] a, float[] b, int w, int h, double split, boolean difference) {
        float[] out = a.clone();
        int cut = (int) Math.round(Math.max(0, Math.min(1, split)) * w);
        for (int y = 0; y < h; y++) {
            for (int x = cut; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = 3 * (y * w + x) + c;
                    out[i] = difference ? Math.min(1f, 4f * Math.abs(a[i] - b[i])) : b[i];
                }
            }
        }
        return out;
    }

    /**
     * The model's pixels left of {@code split * w}; right of it the reference's ground truth (sampled at the
     * rendered resolution) or, with {@link Reference#error()}, the inferno heat map of the mean absolute error.
     */
    static int[] withReference(float[] model, Reference ref, int w, int h, double split) {
        int[] out = PngCodec.toArgb(model);
        int cut = (int) Math.round(Math.max(0, Math.min(1, split)) * w);
        float[] px = new float[3];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(ref.height() - 1, y * ref.height() / h);
            for (int x = cut; x < w; x++) {
                int sx = Math.min(ref.width() - 1, x * ref.width() / w);
                int g = 3 * (sy * ref.width() + sx);
                int p = y * w + x;
                if (ref.error()) {
                    float e = (Math.abs(model[3 * p] - ref.rgb()[g]) + Math.abs(model[3 * p + 1] - ref.rgb()[g + 1])
                            + Math.abs(model[3 * p + 2] - ref.rgb()[g + 2])) / 3f;
                    out[p] = Colormaps.color(Colormaps.Map.INFERNO, Math.min(1f, e / ERROR_FULL_SCALE));
                } else {
                    px[0] = ref.rgb()[g];
                    px[1] = ref.rgb()[g + 1];
                    px[2] = ref.rgb()[g + 2];
                    out[p] = PngCodec.toArgb(px)[0];
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour upscaling (identity when the sizes match). */
    static int[] upscale(int[] src, int w, int h, int tw, int th) {
        if (w == tw && h == th) {
            return src;
        }
        int[] out = new int[tw * th];
        for (int y = 0; y < th; y++) {
            int sy = Math.min(h - 1, y * h / th);
            for (int x = 0; x < tw; x++) {
                out[y * tw + x] = src[sy * w + Math.min(w - 1, x * w / tw)];
            }
        }
        return out;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        worker.interrupt();
        if (Thread.currentThread() != worker) {
            try {
                // the caller may close the kernels next: let the render in flight stop first
                worker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
