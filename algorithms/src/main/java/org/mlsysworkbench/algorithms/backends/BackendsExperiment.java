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
import org.mlsysworkbench.algorithms.core.kernels.CpuGenericKernels;
import org.mlsysworkbench.algorithms.core.kernels.GenericKernels;

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
    private final boolean includeGeneric;

    /** Runs on the CPU and on the run context's backend. */
    public BackendsExperiment() {
        this(List::of);
    }

    /** Also runs on {@code extraBackends} (the app passes every backend it can open). */
    public BackendsExperiment(Supplier<List<Backend>> extraBackends) {
        this(extraBackends, false);
    }

    /**
     * @param includeGeneric also time the {@link GenericKernels} (the {@code bench backends} suite does;
     *                       the GUI page shows the three reference kernels only)
     */
    public BackendsExperiment(Supplier<List<Backend>> extraBackends, boolean includeGeneric) {
        this.extraBackends = extraBackends;
        this.includeGeneric = includeGeneric;
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
        GenericKernels genericReference = new CpuGenericKernels();
        int genericSizes = !includeGeneric ? 0
                : (int) config.sumSizes().stream().filter(n -> n <= MAX_GENERIC).count();
        int cases = backends.size() * (config.saxpySizes().size() + config.gemmSizes().size()
                + config.sumSizes().size() + genericSizes * GENERIC.size());
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
            GenericKernels g = "cpu".equals(backend.id()) ? genericReference
                    : backend.kernels(GenericKernels.class).orElse(null);
            if (g == null || !includeGeneric) {
                continue;
            }
            for (int n : config.sumSizes()) {
                if (n > MAX_GENERIC) {
                    continue;
                }
                for (String kernel : GENERIC) {
                    ctx.checkpoint((double) done++ / cases, g.name() + " " + kernel + " " + n);
                    rows.add(generic(kernel, g, genericReference, backend, n, config, ctx));
                }
            }
        }
        BackendsResult result = new BackendsResult(rows);
        if (ctx.outDir() != null) {
            writeCsv(result, ctx);
        }
        return result;
    }

    /** Largest size of the generic kernels (lavapipe's shared-memory top-k needs ~40 s per 8M call). */
    static final int MAX_GENERIC = 1 << 22;

    /** The generic kernels timed, in table order. */
    static final List<String> GENERIC = List.of("scan", "compact", "gather", "scatter", "topk", "histogram");

    private interface Run {
        Object run(GenericKernels k);
    }

    private BackendsResult.Row generic(String kernel, GenericKernels k, GenericKernels ref, Backend b, int n,
                                       BackendsConfig c, RunContext ctx) {
        SplittableRandom r = new SplittableRandom(c.seed() + 5 + GENERIC.indexOf(kernel));
        float[] values = random(c.seed() + 6, n);
        int[] ints = new int[n];
        int[] flags = new int[n];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            ints[i] = r.nextInt(1000);
            flags[i] = r.nextInt(2);
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        Run run;
        int bytesPerElement;
        switch (kernel) {
            case "scan": run = g -> g.exclusiveScan(ints); bytesPerElement = 8; break;
            case "compact": run = g -> g.compact(ints, flags); bytesPerElement = 12; break;
            case "gather": run = g -> g.gather(values, perm); bytesPerElement = 12; break;
            case "scatter": run = g -> g.scatter(values, perm, n); bytesPerElement = 12; break;
            case "topk": run = g -> g.topK(values, 64); bytesPerElement = 4; break;
            default: run = g -> g.histogram(values, -1f, 1f, 256); bytesPerElement = 4; break;
        }
        Object expected = run.run(ref);
        Object got = null;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < c.repetitions(); rep++) {
            ctx.cancel().throwIfCancelled();
            long t0 = System.nanoTime();
            got = run.run(k);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return record(ctx, b, kernel, n, best, (double) bytesPerElement * n / (best * 1e6), "GB/s",
                mismatches(expected, got));
    }

    /** Elements that differ (a length difference counts every missing element). */
    private static double mismatches(Object expected, Object got) {
        if (expected instanceof int[] e && got instanceof int[] g) {
            int d = Math.abs(e.length - g.length);
            for (int i = 0; i < Math.min(e.length, g.length); i++) {
                d += e[i] != g[i] ? 1 : 0;
            }
            return d;
        }
        float[] e = (float[]) expected;
        float[] g = (float[]) got;
        int d = Math.abs(e.length - g.length);
        for (int i = 0; i < Math.min(e.length, g.length); i++) {
            d += Float.floatToIntBits(e[i]) != Float.floatToIntBits(g[i]) ? 1 : 0;
        }
        return d;
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
