package org.mlsysworkbench.compute.nerf;

import java.util.ArrayList;
import java.util.List;
import org.mlsysworkbench.algorithms.nerf.ColorNet;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderer;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;
import org.mlsysworkbench.compute.core.CommandSequence;
import org.mlsysworkbench.compute.core.ComputeKernel;
import org.mlsysworkbench.compute.core.GpuBuffer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.Grid;
import org.mlsysworkbench.compute.core.HostArray;
import org.mlsysworkbench.compute.core.KernelSpec;
import org.mlsysworkbench.compute.core.Op;

/**
 * {@link NerfRenderKernels} on Vulkan: the volume renderer of {@code glsl/nerf/render_volume.comp} (ray generation,
 * marching through the occupancy mask, trilinear features, the ANN or spiking colour network per shaded sample,
 * compositing). CPU twin: {@code CpuNerfRenderKernels} (the tiled renderer, equal to the reference
 * {@code NerfRenderer}); parity within 1e-3 per channel.
 *
 * <p>One frame: a COUNT dispatch marches every ray and counts its shaded samples; the host reads the counts back and
 * takes their prefix sum (the sample offsets) and cuts the rays into batches of at most {@value #BATCH_SAMPLES}
 * samples (by default) and {@value #BATCH_RAYS} rays; one command sequence then runs, per batch, STORE (march again, writing the
 * samples), VIEW, LAYER1, LIF1, LAYER2, LIF2 (spiking network only), OUTPUT and COMPOSITE, and the per-pixel results
 * and spike counts are read back once. Per-pixel energy and the operation counts come from those counts with the
 * CPU formulas.
 *
 * <p>Buffers (std430, 32-bit; what the shader header lists): {@code params} uint[64 + steps] with floats as bits:
 * 0..11 pose (3x4 row-major), 12 focal, 13 width, 14 height, 15..17 box min, 18..20 box max, 21..23 grid nx, ny, nz,
 * 24 near, 25 far, 26 density shift, 27 step length, 28 step / density unit, 29 colour threshold, 30..32 background,
 * 33 network kind (0 none, 1 ANN, 2 SNN), 34 temporal padding (1) or condensing (0), 35 1/tau, 36 LIF threshold,
 * 37 reset, 38 hidden width H, 39 feature channels C, 64 + g the LIF decay factor {@code (1 - 1/tau)^g}
 * (from {@code LifNeuron.decayFactor}, so padded gaps decay exactly as on the CPU). The model's grids and weights
 * stay on the device while the same {@link NerfModel} instance is rendered (a model must not change while it is
 * being previewed; trained models do not).
 *
 * <p>Uses a context it does not own; owns its pipelines and cached buffers ({@link #close()}, idempotent). Not
 * thread-safe: call from the context's thread (see {@link VulkanNerfBackendKernels}).
 */
public final class VulkanNerfRenderKernels implements NerfRenderKernels, AutoCloseable {

    static final int WG = 64;
    static final int STAGES = 9;
    static final int BATCH_SAMPLES = 32768;
    static final int BATCH_RAYS = 16384;
    private static final int BINDINGS = 13;
    private static final int DECAY = 64;
    private static final int OUT = 8;

    private final int batchSamples;
    // not owned
    private final GpuContext gpu;
    // owned
    private final ComputeKernel[] stages = new ComputeKernel[STAGES];
    private NerfModel cached;
    private GpuBuffer density;
    private GpuBuffer features;
    private GpuBuffer mask;
    private GpuBuffer weights;
    private boolean closed;

    public VulkanNerfRenderKernels(GpuContext gpu) {
        this(gpu, BATCH_SAMPLES);
    }

    /** With another batch size in shaded samples (tests use a small one to exercise several batches). */
    VulkanNerfRenderKernels(GpuContext gpu, int batchSamples) {
        this.gpu = gpu;
        this.batchSamples = batchSamples;
        for (int s = 0; s < STAGES; s++) {
            stages[s] = gpu.kernel(KernelSpec.of("nerf/render_volume", BINDINGS, 16, WG, s));
        }
    }

    @Override
    public String name() {
        return "vulkan";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("VulkanNerfRenderKernels is closed");
        }
    }

    private void useModel(NerfModel m) {
        if (cached == m) {
            return;
        }
        releaseModel();
        int n = m.voxels();
        int[] occ = new int[n];
        for (int i = 0; i < n; i++) {
            occ[i] = m.mask[i] ? 1 : 0;
        }
        float[] w = m.net == null ? new float[1] : concat(m.net.w1, m.net.w2, m.net.w3);
        density = gpu.buffer("nerf/model/density", 4L * n);
        features = gpu.buffer("nerf/model/features", 4L * m.features.length);
        mask = gpu.buffer("nerf/model/mask", 4L * n);
        weights = gpu.buffer("nerf/model/weights", 4L * w.length);
        try (CommandSequence s = gpu.sequence("nerf/model/upload")) {
            s.record(Op.upload(density, m.density)).record(Op.upload(features, m.features))
                    .record(Op.upload(mask, occ)).record(Op.upload(weights, w)).eval();
        }
        cached = m;
    }

    private static float[] concat(float[] a, float[] b, float[] c) {
        float[] out = new float[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    private void releaseModel() {
        if (density != null) {
            density.close();
            features.close();
            mask.close();
            weights.close();
            density = null;
            features = null;
            mask = null;
            weights = null;
        }
        cached = null;
    }

    /** The params buffer described in the class comment. */
    static int[] params(NerfModel m, float[] pose, float focal, int w, int h, float[] bg) {
        float step = m.stepSize();
        float diag = 0;
        for (int a = 0; a < 3; a++) {
            diag += (m.boxMax[a] - m.boxMin[a]) * (m.boxMax[a] - m.boxMin[a]);
        }
        int maxSteps = (int) Math.ceil(Math.sqrt(diag) / step) + 2;
        int[] p = new int[DECAY + maxSteps + 1];
        for (int i = 0; i < 12; i++) {
            p[i] = bits(pose[i]);
        }
        p[12] = bits(focal);
        p[13] = w;
        p[14] = h;
        for (int a = 0; a < 3; a++) {
            p[15 + a] = bits(m.boxMin[a]);
            p[18 + a] = bits(m.boxMax[a]);
            p[30 + a] = bits(bg[a]);
        }
        p[21] = m.nx;
        p[22] = m.ny;
        p[23] = m.nz;
        p[24] = bits(m.near);
        p[25] = bits(m.far);
        p[26] = bits(m.shift);
        p[27] = bits(step);
        p[28] = bits(step / m.densityUnit);
        p[29] = bits(m.colorThreshold);
        ColorNet net = m.net;
        p[33] = net == null ? 0 : net.kind == ColorNet.Kind.ANN ? 1 : 2;
        p[34] = net != null && net.packing == TemporalPacking.PADDING ? 1 : 0;
        p[38] = net == null ? 1 : net.hidden;
        p[39] = m.channels;
        if (net != null) {
            p[35] = bits(1f / net.neuron.tau());
            p[36] = bits(net.neuron.threshold());
            p[37] = bits(net.neuron.reset());
            for (int g = 0; g <= maxSteps; g++) {
                p[DECAY + g] = bits(net.neuron.decayFactor(g));
            }
        }
        return p;
    }

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    @Override
    public NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] bg,
                                     EnergyModel energy) {
        requireOpen();
        useModel(model);
        int pixels = w * h;
        ColorNet net = model.net;
        int hid = net == null ? 1 : net.hidden;
        int stride = model.channels + 5;
        int[] prm = params(model, pose, focal, w, h, bg);
        int[] counts = new int[3 * pixels];
        float[] out = new float[OUT * pixels];
        try (GpuBuffer bPrm = gpu.buffer("nerf/frame/params", 4L * prm.length);
             GpuBuffer bOffsets = gpu.buffer("nerf/frame/offsets", 4L * (pixels + 1));
             GpuBuffer bOut = gpu.buffer("nerf/frame/out", 4L * OUT * pixels);
             GpuBuffer bCounts = gpu.buffer("nerf/frame/counts", 4L * 3 * pixels);
             GpuBuffer bSamples = gpu.buffer("nerf/batch/samples", 4L * batchSamples * stride);
             GpuBuffer bX1 = gpu.buffer("nerf/batch/x1", 4L * batchSamples * hid);
             GpuBuffer bX2 = gpu.buffer("nerf/batch/x2", 4L * batchSamples * hid);
             GpuBuffer bVbase = gpu.buffer("nerf/batch/vbase", 4L * BATCH_RAYS * hid);
             GpuBuffer bRgb = gpu.buffer("nerf/batch/rgb", 4L * batchSamples * 3)) {
            GpuBuffer[] bind = {bPrm, density, features, mask, weights, bOffsets, bSamples, bX1, bX2, bVbase, bOut,
                bCounts, bRgb};
            try (CommandSequence s = gpu.sequence("nerf/count")) {
                s.record(Op.upload(bPrm, prm)).record(Op.fill(bCounts, 0))
                        .record(Op.dispatch(stages[0], Grid.forElements(pixels, WG, gpu), new int[4], bind))
                        .record(Op.download(bCounts, HostArray.of(counts, 0, pixels)))
                        .eval();
            }
            int[] offsets = new int[pixels + 1];
            for (int r = 0; r < pixels; r++) {
                if (counts[r] > batchSamples) {
                    throw new IllegalStateException("ray " + r + " shades " + counts[r] + " samples, more than a batch");
                }
                offsets[r + 1] = offsets[r] + counts[r];
            }
            List<int[]> batches = batches(offsets, pixels, batchSamples);
            try (CommandSequence s = gpu.sequence("nerf/shade")) {
                s.record(Op.upload(bOffsets, offsets));
                for (int[] b : batches) {
                    int r0 = b[0];
                    int r1 = b[1];
                    int rays = r1 - r0;
                    int samples = offsets[r1] - offsets[r0];
                    int[] push = {r0, r1, offsets[r0], samples};
                    // each stage reads what the previous one wrote; the sequence puts a barrier between dispatches
                    s.record(Op.dispatch(stages[1], Grid.forElements(rays, WG, gpu), push, bind));
                    if (samples > 0) {
                        if (net != null) {
                            s.record(Op.dispatch(stages[2], Grid.forElements((long) rays * hid, WG, gpu), push, bind));
                            s.record(Op.dispatch(stages[3], Grid.forElements((long) samples * hid, WG, gpu), push,
                                    bind));
                            if (net.kind == ColorNet.Kind.SNN) {
                                s.record(Op.dispatch(stages[4], Grid.forElements((long) rays * hid, WG, gpu), push,
                                        bind));
                            }
                            s.record(Op.dispatch(stages[5], Grid.forElements((long) samples * hid, WG, gpu), push,
                                    bind));
                            if (net.kind == ColorNet.Kind.SNN) {
                                s.record(Op.dispatch(stages[6], Grid.forElements((long) rays * hid, WG, gpu), push,
                                        bind));
                            }
                        }
                        s.record(Op.dispatch(stages[7], Grid.forElements(samples, WG, gpu), push, bind));
                    }
                    s.record(Op.dispatch(stages[8], Grid.forElements(rays, WG, gpu), push, bind));
                }
                s.record(Op.download(bOut, out)).record(Op.download(bCounts, counts)).eval();
            }
        }
        return frame(model, w, h, out, counts, energy);
    }

    /** Consecutive ray ranges with at most {@code maxSamples} shaded samples and BATCH_RAYS rays each. */
    static List<int[]> batches(int[] offsets, int pixels, int maxSamples) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        while (start < pixels) {
            int end = start;
            while (end < pixels && end - start < BATCH_RAYS && offsets[end + 1] - offsets[start] <= maxSamples) {
                end++;
            }
            out.add(new int[] {start, end});
            start = end;
        }
        return out;
    }

    private static NerfRenderer.Frame frame(NerfModel m, int w, int h, float[] out, int[] counts,
                                            EnergyModel energy) {
        int pixels = w * h;
        float[] rgb = new float[3 * pixels];
        float[] depth = new float[pixels];
        float[] opacity = new float[pixels];
        int[] shaded = new int[pixels];
        float[] energyPj = new float[pixels];
        ColorNet net = m.net;
        int inputs = net == null ? 0 : net.inputs();
        int hid = net == null ? 0 : net.hidden;
        long samples = 0;
        long shadedTotal = 0;
        double s1 = 0;
        double s2 = 0;
        for (int p = 0; p < pixels; p++) {
            int o = OUT * p;
            rgb[3 * p] = out[o];
            rgb[3 * p + 1] = out[o + 1];
            rgb[3 * p + 2] = out[o + 2];
            depth[p] = out[o + 3];
            opacity[p] = out[o + 4];
            int ns = (int) out[o + 5];
            shaded[p] = ns;
            samples += (long) out[o + 6];
            shadedTotal += ns;
            double sp1 = counts[pixels + p];
            double sp2 = counts[2 * pixels + p];
            s1 += sp1;
            s2 += sp2;
            if (net != null) {
                double macs = (double) ns * inputs * hid;
                energyPj[p] = (float) (net.kind == ColorNet.Kind.SNN
                        ? energy.macPj() * macs + energy.acPj() * (sp1 * hid + sp2 * 3)
                        : energy.macPj() * ns * ((double) inputs * hid + hid * hid + 3.0 * hid));
            }
        }
        return new NerfRenderer.Frame(w, h, rgb, depth, opacity, shaded, energyPj,
                new EnergyModel.OpCounts(samples, shadedTotal, s1, s2, inputs, hid));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        releaseModel();
        for (int s = 0; s < STAGES; s++) {
            if (stages[s] != null) {
                stages[s].close();
                stages[s] = null;
            }
        }
        closed = true;
    }
}
