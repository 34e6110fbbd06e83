package org.mlsysworkbench.render.nerf;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.nerf.CpuNerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfConfig;
import org.mlsysworkbench.algorithms.nerf.NerfExperiment;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderer;
import org.mlsysworkbench.algorithms.nerf.NerfResult;
import org.mlsysworkbench.algorithms.nerf.Parallel;

/**
 * {@code bench nerf}: preview frames/s and rays/s of the renderer (SNN and ANN colour networks) per backend and
 * resolution, the fast CPU path against the reference renderer, and the training step time, all measured in one
 * run on the procedural surface scene (crisp surfaces and empty space, SpikingNeRF's setting) trained for the
 * purpose. Each row's note gives the shaded samples per ray (what the colour network costs scale with) and the
 * machine's load average when it was measured. The interactive target is 10 frames/s at 128x128 on the CPU
 * backend; Vulkan rows on a CPU device (lavapipe) are functional only.
 */
public final class NerfBenchmark implements BenchmarkSuite {

    @Override
    public String id() {
        return "nerf";
    }

    @Override
    public String description() {
        return "SpikingNeRF renderer frames/s and rays/s (SNN vs ANN, CPU vs Vulkan) and training step time";
    }

    /**
     * The scene the renders are timed on: the procedural surface scene, 48 views at 64 px, fine grid 64^3, the
     * occupancy mask and colour threshold of the tiny-lego example (0.02, 1e-3).
     */
    static NerfConfig config(boolean quick) {
        return new NerfConfig(1, 42, "procedural-surface", "", 64, quick ? 16 : 48, 2, 1.0, 10,
                new double[]{-1.1, -1.1, -1.1}, new double[]{1.1, 1.1, 1.1}, new int[0], 48, quick ? 100 : 300,
                64, quick ? 10 : 40, 1024, 0.1, 1e-3, 128, 12, List.of("ann", "snn-tc"), 2.0, 1.0, 1e-2, 0.02, 1e-3,
                4.6, 0.9, 0);
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        NerfConfig c = config(quick);
        RunContext ctx = new RunContext(new java.util.SplittableRandom(c.seed()),
                org.mlsysworkbench.algorithms.core.ProgressListener.NONE, cancel,
                org.mlsysworkbench.algorithms.core.MetricsSink.NONE, backend, null);
        NerfResult r = new NerfExperiment().run(c, ctx);
        for (NerfResult.Variant v : r.variants()) {
            report.add(id(), "train " + v.name() + " " + c.fineResolution() + "^3, " + c.raysPerBatch() + " rays",
                    "step time", 1000 * v.trainSeconds() / Math.max(1, c.fineIterations()), "ms",
                    "fine stage, " + c.fineIterations() + " steps; " + load());
        }
        int[] sizes = quick ? new int[]{128} : new int[]{64, 128, 256};
        try (CpuNerfRenderKernels cpu = new CpuNerfRenderKernels()) {
            for (NerfResult.Variant v : r.variants()) {
                for (int size : sizes) {
                    measure(report, cpu, v, size, quick, cancel, "");
                }
                referenceSpeedup(report, cpu, v, quick, cancel);
            }
            var gpu = backend.kernels(NerfRenderKernels.class);
            if (gpu.isPresent() && !backend.id().equals("cpu")) {
                boolean cpuDevice = backend.functionalOnly();
                String label = cpuDevice ? "functional only (CPU Vulkan device); " : "";
                // on a CPU Vulkan driver (lavapipe) one small frame proves the path; sizes are for real GPUs
                int[] gpuSizes = cpuDevice ? new int[]{64} : quick ? new int[]{128} : new int[]{128, 256, 400};
                for (NerfResult.Variant v : r.variants()) {
                    for (int size : gpuSizes) {
                        measure(report, gpu.get(), v, size, quick || cpuDevice, cancel, label);
                    }
                }
            }
        }
    }

    /** Frames/s and rays/s of an orbiting camera at {@code size x size}, full resolution every frame. */
    private void measure(BenchmarkReport report, NerfRenderKernels k, NerfResult.Variant v, int size, boolean quick,
                         CancellationToken cancel, String label) {
        cancel.throwIfCancelled();
        OrbitCamera cam = OrbitCamera.standard();
        float[] bg = {1, 1, 1};
        NerfRenderer.Frame f = k.render(v.model(), cam.pose(), cam.focal(size), size, size, bg,
                EnergyModel.HOROWITZ_45NM);
        // the first frame above warmed up the JIT (CPU) or uploaded the model and built the pipelines (Vulkan)
        int frames = 0;
        long shaded = 0;
        long budget = quick ? 1_000_000_000L : 3_000_000_000L;
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        boolean cpuKernels = k instanceof CpuNerfRenderKernels;
        while (System.nanoTime() - t0 < budget || frames < (cpuKernels ? 2 : 1)) {
            cam = cam.orbit(3, 0);
            f = k.render(v.model(), cam.pose(), cam.focal(size), size, size, bg, EnergyModel.HOROWITZ_45NM);
            shaded += f.ops().shaded();
            frames++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        String name = v.name() + " " + size + "x" + size + " " + k.name();
        String note = String.format(Locale.ROOT, "%s%.1f shaded samples per ray; %s", label,
                shaded / (double) frames / ((double) size * size), load());
        report.add(id(), name, "preview", frames / secs, "frames/s", note);
        report.add(id(), name, "throughput", frames * (double) size * size / secs / 1e6, "Mrays/s", note);
        if (cpuKernels && cpuSecs > 0) {
            // on a busy machine the wall clock measures the share this process got; CPU time per frame does not
            // (CPU kernels only: a Vulkan driver's threads are not this JVM's)
            report.add(id(), name, "preview per CPU budget", frames * cores / cpuSecs, "frames/s",
                    "frames per CPU-second of this JVM's threads x " + cores + " cores: the rate on an idle machine; " + note);
        }
    }

    /** CPU time of the live threads of this JVM (java.management only, so it works in the packaged runtime). */
    private static long processCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    /** The tiled fast path against the per-ray reference renderer at 128x128, same threads, same frames. */
    private void referenceSpeedup(BenchmarkReport report, CpuNerfRenderKernels cpu, NerfResult.Variant v,
                                  boolean quick, CancellationToken cancel) {
        cancel.throwIfCancelled();
        NerfModel m = v.model();
        OrbitCamera cam = OrbitCamera.standard();
        float[] bg = {1, 1, 1};
        int size = 128;
        int frames = quick ? 1 : 3;
        try (Parallel par = new Parallel(0)) {
            NerfRenderer.render(m, cam.pose(), cam.focal(size), size, size, bg, EnergyModel.HOROWITZ_45NM, par);
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                NerfRenderer.render(m, cam.orbit(3 * i, 0).pose(), cam.focal(size), size, size, bg,
                        EnergyModel.HOROWITZ_45NM, par);
            }
            double ref = (System.nanoTime() - t0) / 1e9 / frames;
            long c1 = processCpuNanos();
            long t1 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                cpu.render(m, cam.orbit(3 * i, 0).pose(), cam.focal(size), size, size, bg, EnergyModel.HOROWITZ_45NM);
            }
            double fast = (System.nanoTime() - t1) / 1e9 / frames;
            long c2 = processCpuNanos();
            String name = v.name() + " 128x128 tiled vs reference";
            report.add(id(), name, "reference frame time", 1000 * ref, "ms", load());
            report.add(id(), name, "speedup (wall clock)", ref / fast, "x", "same frames, " + cpu.name() + "; " + load());
            // CPU time does not depend on how much of the machine other processes took meanwhile
            report.add(id(), name, "speedup (CPU time)", (double) (c1 - c0) / Math.max(1, c2 - c1), "x",
                    "same frames, " + cpu.name() + "; " + load());
        }
    }

    /** "load 1.23 (2 cores)": the 1-minute load average of the machine when a row was measured. */
    static String load() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "load %.2f (%d cores)", os.getSystemLoadAverage(),
                os.getAvailableProcessors());
    }
}
