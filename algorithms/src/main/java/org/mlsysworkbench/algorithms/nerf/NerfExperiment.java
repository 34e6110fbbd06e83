package org.mlsysworkbench.algorithms.nerf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacker;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SpikingNeRF end to end: load or render the scene, train the coarse stage (density + direct colour) and cache
 * its occupancy mask, then train each requested colour network (ANN, SNN with temporal condensing, SNN with
 * temporal padding) on the same coarse geometry and evaluate PSNR, SSIM, operation counts and modelled energy on
 * the held-out views.
 *
 * <p>Deviation from DVGO, stated: the fine density grid starts from the trilinearly upsampled coarse density
 * instead of from scratch, which saves most of the fine stage on two cores. Loss: photometric MSE only.
 *
 * <p>Artifacts in {@code ctx.outDir()}: {@code <variant>_view0.png}, {@code gt_view0.png},
 * {@code <variant>_error_view0.png}, {@code energy.csv} (per layer and variant), {@code energy_pixels_<variant>.csv},
 * {@code timing.csv} (measured, non-deterministic), {@code <variant>.snerf} checkpoints.
 */
public final class NerfExperiment implements Experiment<NerfConfig, NerfResult> {

    private static final Logger LOG = LoggerFactory.getLogger(NerfExperiment.class);
    private static final float[] BLACK = {0, 0, 0};
    /** Held-out evaluations (PSNR, SSIM) per fine stage, the last one at the end of training. */
    static final int EVALS_PER_STAGE = 4;

    /** Loads or renders the train and test views of a config. */
    public static NerfViews[] views(NerfConfig c, Parallel par) {
        try {
            switch (c.scene()) {
                case "procedural-volume", "procedural-surface" -> {
                    ProceduralScenes.Kind k = c.scene().endsWith("volume") ? ProceduralScenes.Kind.VOLUME
                            : ProceduralScenes.Kind.SURFACE;
                    return new NerfViews[]{ProceduralScenes.render(k, c.trainViews(), c.imageSize(), c.seed(), par),
                            ProceduralScenes.render(k, c.testViews(), c.imageSize(), c.seed() + 1, par)};
                }
                default -> {
                    Path file = dataFile(c.dataPath());
                    NerfViews all = c.scene().equals("npz") ? NerfDataLoader.loadNpz(file)
                            : NerfDataLoader.loadBlender(file);
                    return new NerfViews[]{all.split(c.holdoutEvery(), false), all.split(c.holdoutEvery(), true)};
                }
            }
        } catch (NerfFormatException e) {
            throw new ConfigException("dataPath", e.getMessage(), e);
        }
    }

    /**
     * A data path as given, or resolved against the shared data folder ({@code -Dworkbench.data.dir}, which the
     * launcher sets; else the working directory) when relative.
     */
    public static Path dataFile(String dataPath) {
        Path p = Path.of(dataPath);
        if (p.isAbsolute()) {
            return p;
        }
        String root = System.getProperty("workbench.data.dir");
        return (root == null ? Path.of("").toAbsolutePath() : Path.of(root)).resolve(p);
    }

    @Override
    public NerfResult run(NerfConfig c, RunContext ctx) throws CancelledException {
        c.validate();
        try (Parallel par = new Parallel(c.threads())) {
            return run(c, ctx, par);
        }
    }

    private NerfResult run(NerfConfig c, RunContext ctx, Parallel par) {
        ctx.checkpoint(0, "preparing views of " + c.scene());
        NerfViews[] v = views(c, par);
        float bgLevel = (float) c.background();
        NerfViews train = v[0].onBackground(bgLevel);
        NerfViews test = v[1].onBackground(bgLevel);
        float[] bg = {bgLevel, bgLevel, bgLevel};
        float[] min = toFloat(c.boxMin());
        float[] max = toFloat(c.boxMax());
        float unit = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2])) / 100f;
        EnergyModel energy = c.energy();
        SplittableRandom rnd = ctx.random();

        List<NerfResult.SweepPoint> sweep = new ArrayList<>();
        for (int res : c.sweepResolutions()) {
            NerfModel m = NerfModel.empty(min, max, res, 3, null, c.alphaInit(), 0.5f, unit, 1e-7f, 2f, 6f);
            new NerfTrainer(m, bg).train(train, schedule(c, c.coarseIterations()), rnd.split(), par, ctx,
                    "sweep " + res, null);
            double psnr = evaluate(m, test, bg, energy, par).psnr;
            ctx.metrics().record("sweep_psnr_db", res, psnr);
            sweep.add(new NerfResult.SweepPoint(res, psnr));
            LOG.info("sweep resolution {}: held-out PSNR {} dB", res, String.format(Locale.ROOT, "%.2f", psnr));
        }

        NerfModel coarse = NerfModel.empty(min, max, c.coarseResolution(), 3, null, c.alphaInit(), 0.5f, unit, 1e-7f, 2f, 6f);
        new NerfTrainer(coarse, bg).train(train, schedule(c, c.coarseIterations()), rnd.split(), par, ctx, "coarse",
                (it, mse) -> {
                    ctx.metrics().record("coarse_train_loss", it, mse);
                    ctx.metrics().record("coarse_train_psnr_db", it, psnr(mse));
                });
        Eval coarseEval = evaluate(coarse, test, bg, energy, par);
        double coarsePsnr = coarseEval.psnr;
        ctx.metrics().record("coarse_eval_ssim", c.coarseIterations(), coarseEval.ssim);
        ctx.metrics().summary("coarse_test_psnr_db", coarsePsnr);
        double kept = coarse.rebuildMaskFromViews(train, (float) c.maskThreshold(), train.width() >= 100 ? 2 : 1, bg,
                par);
        ctx.metrics().summary("mask_kept_fraction", kept);
        LOG.info("coarse {}^3: held-out PSNR {} dB, mask keeps {} of the voxels", c.coarseResolution(),
                String.format(Locale.ROOT, "%.2f", coarsePsnr), String.format(Locale.ROOT, "%.3f", kept));

        List<NerfResult.Variant> variants = new ArrayList<>();
        StringBuilder energyCsv = new StringBuilder(
                "variant,layer,macs,sops,firing_rate,energy_pj,ann_energy_pj,reduction\n");
        StringBuilder timing = new StringBuilder("stage,train_seconds,iterations,rays_per_batch,threads\n");
        LifNeuron neuron = new LifNeuron((float) c.tau(), (float) c.threshold(), 0f, 4f);
        for (String name : c.variants()) {
            ColorNet.Kind kind = name.equals("ann") ? ColorNet.Kind.ANN : ColorNet.Kind.SNN;
            TemporalPacking packing = name.equals("snn-tp") ? TemporalPacking.PADDING : TemporalPacking.CONDENSING;
            ColorNet net = ColorNet.init(kind, c.featureChannels(), c.hidden(), neuron, packing,
                    new SplittableRandom(c.seed() + 17));
            NerfModel up = coarse.resampled(c.fineResolution(), c.featureChannels(), net);
            NerfModel fine = new NerfModel(up.boxMin, up.boxMax, up.nx, up.ny, up.nz, up.channels, up.density,
                    up.features, up.mask, net, up.shift, up.stepRatio, up.densityUnit, (float) c.colorThreshold(),
                    up.near, up.far);
            float[] curve = new float[c.fineIterations()];
            int evalEvery = Math.max(1, c.fineIterations() / EVALS_PER_STAGE);
            long[] evalNanos = {0};
            long t0 = System.nanoTime();
            new NerfTrainer(fine, bg).train(train, schedule(c, c.fineIterations()),
                    new SplittableRandom(c.seed() + 31), par, ctx, name, (it, mse) -> {
                        curve[it] = (float) mse;
                        ctx.metrics().record(name + "_train_loss", it, mse);
                        ctx.metrics().record(name + "_train_psnr_db", it, psnr(mse));
                        if ((it + 1) % evalEvery == 0 && it + 1 < c.fineIterations()) {
                            // held-out quality while training: rendering reads the model, it does not change it
                            long e0 = System.nanoTime();
                            Eval mid = evaluate(fine, test, bg, energy, par);
                            evalNanos[0] += System.nanoTime() - e0;
                            ctx.metrics().record(name + "_eval_psnr_db", it + 1, mid.psnr);
                            ctx.metrics().record(name + "_eval_ssim", it + 1, mid.ssim);
                        }
                    });
            double secs = (System.nanoTime() - t0 - evalNanos[0]) / 1e9;
            Eval e = evaluate(fine, test, bg, energy, par);
            ctx.metrics().record(name + "_eval_psnr_db", c.fineIterations(), e.psnr);
            ctx.metrics().record(name + "_eval_ssim", c.fineIterations(), e.ssim);
            EnergyModel.OpCounts ops = e.ops;
            double snnPj = kind == ColorNet.Kind.SNN ? energy.snnPj(ops) : energy.annPj(ops);
            double annPj = energy.annPj(ops);
            double reduction = kind == ColorNet.Kind.SNN ? energy.reduction(ops) : 0;
            TemporalPacker.Packed packed = packView(fine, test, packing);
            ctx.metrics().summary(name + "_test_psnr_db", e.psnr);
            ctx.metrics().summary(name + "_test_ssim", e.ssim);
            ctx.metrics().summary(name + "_shaded_samples", ops.shaded());
            ctx.metrics().summary(name + "_firing_rate_l1", ops.firingRate1());
            ctx.metrics().summary(name + "_firing_rate_l2", ops.firingRate2());
            ctx.metrics().summary(name + "_energy_uj", snnPj * 1e-6);
            ctx.metrics().summary(name + "_energy_reduction", reduction);
            ctx.metrics().summary(name + "_packed_steps", packed.steps());
            ctx.metrics().summary(name + "_packed_occupancy", packed.occupancy());
            LOG.info("{}: held-out PSNR {} dB, SSIM {}, firing {}/{}, modelled reduction {} ({} s training)", name,
                    fmt(e.psnr), fmt(e.ssim), fmt(ops.firingRate1()), fmt(ops.firingRate2()), fmt(reduction),
                    fmt(secs));
            appendEnergy(energyCsv, name, kind, ops, energy);
            timing.append(String.format(Locale.ROOT, "%s,%.3f,%d,%d,%d%n", name, secs, c.fineIterations(),
                    c.raysPerBatch(), par.threads()));
            variants.add(new NerfResult.Variant(name, fine, e.psnr, e.ssim, ops, snnPj, annPj, reduction,
                    packed.steps(), packed.occupancy(), curve, secs));
            writeArtifacts(ctx.outDir(), name, fine, test, bg, energy, par);
        }
        if (ctx.outDir() != null) {
            try {
                Files.writeString(ctx.outDir().resolve("energy.csv"), energyCsv.toString(), StandardCharsets.UTF_8);
                Files.writeString(ctx.outDir().resolve("timing.csv"), timing.toString(), StandardCharsets.UTF_8);
                float[] gt = test.rgb().get(0);
                PngCodec.writeArgb(ctx.outDir().resolve("gt_view0.png"), PngCodec.toArgb(gt), test.width(),
                        test.height());
            } catch (IOException e) {
                throw new UncheckedIOException("writing artifacts to " + ctx.outDir(), e);
            }
        }
        ctx.checkpoint(1, "done");
        return new NerfResult(test, coarse, coarsePsnr, sweep, variants);
    }

    private static void appendEnergy(StringBuilder csv, String name, ColorNet.Kind kind, EnergyModel.OpCounts ops,
                                     EnergyModel energy) {
        double l1Macs = ops.snnMacs();
        double h = ops.hidden();
        double annTotal = energy.annPj(ops);
        if (kind == ColorNet.Kind.SNN) {
            csv.append(row(name, "fc1 (MAC)", l1Macs, 0, ops.firingRate1(), energy.macPj() * l1Macs,
                    energy.macPj() * l1Macs, 0));
            csv.append(row(name, "fc2 (SOP)", 0, ops.spikes1() * h, ops.firingRate2(), energy.acPj() * ops.spikes1() * h,
                    energy.macPj() * ops.shaded() * h * h, 0));
            csv.append(row(name, "fc3 (SOP)", 0, ops.spikes2() * 3, 0, energy.acPj() * ops.spikes2() * 3,
                    energy.macPj() * ops.shaded() * h * 3, 0));
            csv.append(row(name, "total", l1Macs, ops.sops(), 0, energy.snnPj(ops), annTotal, energy.reduction(ops)));
        } else {
            csv.append(row(name, "total", ops.annMacs(), 0, 0, annTotal, annTotal, 0));
        }
    }

    private static String row(String v, String layer, double macs, double sops, double rate, double pj, double annPj,
                              double red) {
        return String.format(Locale.ROOT, "%s,%s,%.0f,%.0f,%.6f,%.1f,%.1f,%.6f%n", v, layer, macs, sops, rate, pj, annPj,
                red);
    }

    private static void writeArtifacts(Path out, String name, NerfModel m, NerfViews test, float[] bg,
                                       EnergyModel energy, Parallel par) {
        if (out == null) {
            return;
        }
        try {
            NerfRenderer.Frame f = NerfRenderer.render(m, test.poses().get(0), test.focal(), test.width(),
                    test.height(), bg, energy, par);
            PngCodec.writeArgb(out.resolve(name + "_view0.png"), PngCodec.toArgb(f.rgb()), f.width(), f.height());
            float[] gt = test.rgb().get(0);
            float[] err = new float[gt.length];
            for (int i = 0; i < err.length; i++) {
                err[i] = Math.min(1f, 4f * Math.abs(f.rgb()[i] - gt[i]));
            }
            PngCodec.writeArgb(out.resolve(name + "_error_view0.png"), PngCodec.toArgb(err), f.width(), f.height());
            StringBuilder sb = new StringBuilder("x,y,shaded_samples,energy_pj\n");
            for (int y = 0; y < f.height(); y++) {
                for (int x = 0; x < f.width(); x++) {
                    int p = y * f.width() + x;
                    sb.append(x).append(',').append(y).append(',').append(f.shaded()[p]).append(',')
                            .append(String.format(Locale.ROOT, "%.1f", f.energyPj()[p])).append('\n');
                }
            }
            Files.writeString(out.resolve("energy_pixels_" + name + ".csv"), sb.toString(), StandardCharsets.UTF_8);
            NerfCheckpoint.save(m, out.resolve(name + ".snerf"));
        } catch (IOException e) {
            throw new UncheckedIOException("writing artifacts of " + name + " to " + out, e);
        }
    }

    /** Packs the shaded samples of every ray of held-out view 0, to report T and occupancy of the spike tensor. */
    public static TemporalPacker.Packed packView(NerfModel m, NerfViews test, TemporalPacking packing) {
        RayKernel k = new RayKernel();
        int w = test.width();
        int h = test.height();
        int[] start = new int[w * h + 1];
        int[] steps = new int[1024];
        int n = 0;
        float[] o = new float[3];
        float[] d = new float[3];
        for (int p = 0; p < w * h; p++) {
            NerfViews.ray(test.poses().get(0), test.focal(), w, h, p % w, p / w, o, d);
            k.forward(m, o, d, 0.5f, BLACK);
            for (int s = 0; s < k.ns; s++) {
                if (n == steps.length) {
                    steps = java.util.Arrays.copyOf(steps, n * 2);
                }
                steps[n++] = k.step[k.surv[s]];
            }
            start[p + 1] = n;
        }
        return TemporalPacker.pack(packing, start, java.util.Arrays.copyOf(steps, n));
    }

    private record Eval(double psnr, double ssim, EnergyModel.OpCounts ops) {
    }

    private static Eval evaluate(NerfModel m, NerfViews test, float[] bg, EnergyModel energy, Parallel par) {
        double psnr = 0;
        double ssim = 0;
        EnergyModel.OpCounts ops = null;
        for (int i = 0; i < test.count(); i++) {
            NerfRenderer.Frame f = NerfRenderer.render(m, test.poses().get(i), test.focal(), test.width(),
                    test.height(), bg, energy, par);
            psnr += NerfRenderer.psnr(f.rgb(), test.rgb().get(i));
            ssim += NerfRenderer.ssim(f.rgb(), test.rgb().get(i), test.width(), test.height());
            ops = ops == null ? f.ops() : ops.plus(f.ops());
        }
        return new Eval(psnr / test.count(), ssim / test.count(), ops);
    }

    private static NerfTrainer.Schedule schedule(NerfConfig c, int iterations) {
        return new NerfTrainer.Schedule(iterations, c.raysPerBatch(), (float) c.gridLr(), (float) c.netLr());
    }

    static double psnr(double mse) {
        return mse <= 0 ? 100 : -10 * Math.log10(mse);
    }

    private static float[] toFloat(double[] a) {
        return new float[]{(float) a[0], (float) a[1], (float) a[2]};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
