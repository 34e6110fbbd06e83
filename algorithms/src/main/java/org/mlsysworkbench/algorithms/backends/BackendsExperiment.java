package org.mlsysworkbench.algorithms.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.core.kernels.BackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.CpuBackendKernels;

/**
 * Runs saxpy, GEMM and a reduction on every available backend, checks each against the plain-Java
 * result, and measures throughput: GB/s = bytes moved / best time (saxpy moves 12 bytes per element,
 * sum 4), GFLOP/s = 2·n³ / best time.
 *
 * <p>metrics.csv gets the errors ({@code <kernel>_max_error_<backend>}, step = size), which are
 * reproducible; timings go to {@code <kernel>_<backend>_gbps|_gflops} (timings.csv) and to
 * {@code throughput.csv} in the run folder.
 */
public final class BackendsExperiment implements Experiment<BackendsConfig, BackendsResult> {

    private final Supplier<List<Backend>> extraBackends;

    /** Runs on the CPU and on the run context's backend. */
    public BackendsExperiment() {
        this(List::of);
    }

    /** Also runs on {@code extraBackends} (the app passes every backend it can open). */
    public BackendsExperiment(Supplier<List<Backend>> extraBackends) {
        this.extraBackends = extraBackends;
    }

    @Override
    public BackendsResult run(BackendsConfig config, RunContext ctx) {
        config.validate();
        Map<String, Backend> backends = new LinkedHashMap<>();
        backends.put("cpu", Backend.cpu());
        backends.putIfAbsent(ctx.backend().id(), ctx.backend());
        for (Backend b : extraBackends.get()) {
            backends.putIfAbsent(b.id(), b);
        }
        BackendKernels reference = new CpuBackendKernels();
        List<BackendsResult.Row> rows = new ArrayList<>();
        int cases = backends.size()
                * (config.saxpySizes().size() + config.gemmSizes().size() + config.sumSizes().size());
        int done = 0;
        for (Backend backend : backends.values()) {
            BackendKernels k = backend.kernels(BackendKernels.class).orElse(null);
            if (k == null) {
                if (!"cpu".equals(backend.id())) {
                    continue;
                }
                k = reference;
            }
            for (int n : config.saxpySizes()) {
                ctx.checkpoint((double) done++ / cases, k.name() + " saxpy " + n);
                rows.add(saxpy(k, backend, reference, n, config, ctx));
            }
            for (int n : config.gemmSizes()) {
                ctx.checkpoint((double) done++ / cases, k.name() + " gemm " + n);
                rows.add(gemm(k, backend, reference, n, config, ctx));
            }
            for (int n : config.sumSizes()) {
                ctx.checkpoint((double) done++ / cases, k.name() + " sum " + n);
                rows.add(sum(k, backend, reference, n, config, ctx));
            }
        }
        BackendsResult result = new BackendsResult(rows);
        if (ctx.outDir() != null) {
            writeCsv(result, ctx);
        }
        return result;
    }

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private BackendsResult.Row saxpy(BackendKernels k, Backend b, BackendKernels ref, int n, BackendsConfig c,
                                     RunContext ctx) {
        float[] x = random(c.seed(), n);
        float[] y0 = random(c.seed() + 1, n);
        float[] expected = y0.clone();
        ref.saxpy(1.5f, x, expected);
        float[] y = null;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < c.repetitions(); rep++) {
            ctx.cancel().throwIfCancelled();
            y = y0.clone();
            long t0 = System.nanoTime();
            k.saxpy(1.5f, x, y);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        double err = 0;
        for (int i = 0; i < n; i++) {
            err = Math.max(err, Math.abs(y[i] - expected[i]));
        }
        return record(ctx, b, "saxpy", n, best, 12.0 * n / (best * 1e6), "GB/s", err);
    }

    private BackendsResult.Row gemm(BackendKernels k, Backend b, BackendKernels ref, int n, BackendsConfig c,
                                    RunContext ctx) {
        float[] a = random(c.seed() + 2, n * n);
        float[] bm = random(c.seed() + 3, n * n);
        float[] expected = new float[n * n];
        ref.gemm(n, n, n, a, bm, expected);
        float[] out = new float[n * n];
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < c.repetitions(); rep++) {
            ctx.cancel().throwIfCancelled();
            long t0 = System.nanoTime();
            k.gemm(n, n, n, a, bm, out);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        double err = 0;
        for (int i = 0; i < out.length; i++) {
            err = Math.max(err, Math.abs(out[i] - expected[i]));
        }
        return record(ctx, b, "gemm", n, best, 2.0 * n * n * (double) n / (best * 1e6), "GFLOP/s", err);
    }

    private BackendsResult.Row sum(BackendKernels k, Backend b, BackendKernels ref, int n, BackendsConfig c,
                                   RunContext ctx) {
        float[] x = random(c.seed() + 4, n);
        for (int i = 0; i < n; i++) {
            x[i] = Math.abs(x[i]);
        }
        double expected = ref.sum(x);
        double got = 0;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < c.repetitions(); rep++) {
            ctx.cancel().throwIfCancelled();
            long t0 = System.nanoTime();
            got = k.sum(x);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        double err = Math.abs(got - expected) / Math.max(1e-30, Math.abs(expected));
        return record(ctx, b, "sum", n, best, 4.0 * n / (best * 1e6), "GB/s", err);
    }

    private static BackendsResult.Row record(RunContext ctx, Backend b, String kernel, int size, double bestMs,
                                             double throughput, String unit, double err) {
        ctx.metrics().record(kernel + "_max_error_" + b.id(), size, err);
        ctx.metrics().record(kernel + "_" + b.id() + ("GFLOP/s".equals(unit) ? "_gflops" : "_gbps"), size,
                throughput);
        ctx.metrics().record(kernel + "_" + b.id() + "_ms", size, bestMs);
        return new BackendsResult.Row(b.id(), b.device().name(), b.functionalOnly(), kernel, size, bestMs,
                throughput, unit, err);
    }

    private static void writeCsv(BackendsResult result, RunContext ctx) {
        StringBuilder sb = new StringBuilder("backend,device,functional_only,kernel,size,best_ms,throughput,unit,"
                + "max_error\n");
        for (BackendsResult.Row r : result.rows()) {
            sb.append(String.format(Locale.ROOT, "%s,\"%s\",%b,%s,%d,%.4f,%.4f,%s,%.3e%n", r.backend(),
                    r.device().replace("\"", "'"), r.functionalOnly(), r.kernel(), r.size(), r.bestMs(),
                    r.throughput(), r.unit(), r.maxError()));
        }
        try {
            Files.writeString(ctx.outDir().resolve("throughput.csv"), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
