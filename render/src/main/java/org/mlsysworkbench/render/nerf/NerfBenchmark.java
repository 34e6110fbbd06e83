package org.mlsysworkbench.render.nerf;

import java.util.List;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.nerf.CpuNerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfConfig;
import org.mlsysworkbench.algorithms.nerf.NerfExperiment;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfResult;

/**
 * {@code bench nerf}: preview frames/s and rays/s of the renderer (SNN and ANN colour networks) per backend and
 * resolution, and the training step time, all measured in one run on a procedural scene trained for the purpose.
 * The interactive target is 10 frames/s at 128x128 on the CPU backend.
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

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        NerfConfig d = NerfConfig.defaults();
        NerfConfig c = new NerfConfig(1, 42, "procedural-volume", "", 64, quick ? 16 : 40, 2, 1.0, 10, d.boxMin(),
                d.boxMax(), new int[0], 40, quick ? 100 : 300, 48, quick ? 30 : 100, 1024, 0.1, 1e-3, 128, 12,
                List.of("ann", "snn-tc"), 2.0, 1.0, 1e-2, 1e-3, 1e-4, 4.6, 0.9, 0);
        RunContext ctx = new RunContext(new java.util.SplittableRandom(c.seed()),
                org.mlsysworkbench.algorithms.core.ProgressListener.NONE, cancel,
                org.mlsysworkbench.algorithms.core.MetricsSink.NONE, backend, null);
        NerfResult r = new NerfExperiment().run(c, ctx);
        for (NerfResult.Variant v : r.variants()) {
            report.add(id(), "train " + v.name() + " 48^3, 1024 rays", "step time",
                    1000 * v.trainSeconds() / c.fineIterations(), "ms", "fine stage, " + c.fineIterations() + " steps");
        }
        try (CpuNerfRenderKernels cpu = new CpuNerfRenderKernels()) {
            measure(report, cpu, r, quick, cancel);
            var gpu = backend.kernels(NerfRenderKernels.class);
            if (gpu.isPresent() && gpu.get() != null && !backend.id().equals("cpu")) {
                measure(report, gpu.get(), r, quick, cancel);
            }
        }
    }

    private void measure(BenchmarkReport report, NerfRenderKernels k, NerfResult r, boolean quick,
                         CancellationToken cancel) {
        int[] sizes = quick ? new int[]{128} : new int[]{64, 128, 256};
        for (NerfResult.Variant v : r.variants()) {
            for (int size : sizes) {
                cancel.throwIfCancelled();
                PreviewPipeline.Request req = new PreviewPipeline.Request(v.model(), OrbitCamera.standard(), size, size,
                        false, new float[]{1, 1, 1}, EnergyModel.HOROWITZ_45NM);
                PreviewPipeline.render(k, req, 0, 1);
                int frames = 0;
                long t0 = System.nanoTime();
                long budget = (quick ? 1_000_000_000L : 3_000_000_000L);
                OrbitCamera cam = OrbitCamera.standard();
                while (System.nanoTime() - t0 < budget) {
                    cam = cam.orbit(3, 0);
                    PreviewPipeline.render(k, new PreviewPipeline.Request(v.model(), cam, size, size, false,
                            req.background(), req.energy()), frames, 1);
                    frames++;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                String name = v.name() + " " + size + "x" + size + " " + k.name();
                report.add(id(), name, "preview", frames / secs, "frames/s", "orbiting camera, idle training");
                report.add(id(), name, "throughput", frames * (double) size * size / secs / 1e6, "Mrays/s", "");
            }
        }
    }
}
