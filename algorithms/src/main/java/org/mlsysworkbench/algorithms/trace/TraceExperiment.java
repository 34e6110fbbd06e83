package org.mlsysworkbench.algorithms.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;

/**
 * The trace bench's experiment: generate (or take) an AcmeTrace-schema CSV, load it into the trace engine,
 * compute every dashboard statistic and the reproduction table, run the two simulators, and write CSV
 * artifacts ({@code reproduction.csv}, {@code duration_cdf.csv}, {@code queue_cdf.csv}, {@code gpu_demand.csv},
 * {@code states.csv}, {@code types.csv}, {@code checkpoint_sweep.csv}, {@code evaluation.csv}) into the run
 * folder. Metrics: {@code summary_<column>} (recomputed, counts per published job) and {@code published_<column>},
 * agreement counts, simulator outputs; wall times go to timings ({@code load_s}, {@code stats_s}). Stateless.
 */
public final class TraceExperiment implements Experiment<TraceConfig, TraceResult> {

    @Override
    public TraceResult run(TraceConfig config, RunContext ctx) {
        try {
            return runChecked(config, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("trace engine: " + e.getMessage(), e);
        } catch (TraceFormatException e) {
            throw new ConfigException(e.file() + ":" + e.line(), e.getMessage().substring(e.getMessage().indexOf(": ")
                    + 2), e);
        }
    }

    private TraceResult runChecked(TraceConfig config, RunContext ctx)
            throws IOException, SQLException, TraceFormatException {
        config.validate();
        ClusterPreset preset = ClusterPreset.of(config.cluster());
        ClusterSummary published = preset.published();
        Path work = ctx.outDir() != null ? ctx.outDir() : Files.createTempDirectory("trace-run-");
        Files.createDirectories(work);
        Path csv;
        double scale = 1;
        if (config.generated()) {
            ctx.checkpoint(0.02, "generating " + config.jobs() + " " + preset.clusterId() + " jobs");
            GeneratedTrace trace = TraceGenerator.generate(preset, config.jobs(), ctx.random(), ctx.cancel());
            csv = work.resolve("trace_" + preset.clusterId().toLowerCase(Locale.ROOT) + ".csv");
            ctx.checkpoint(0.3, "writing " + csv.getFileName());
            trace.writeCsv(csv, ctx.cancel());
            scale = config.jobs() / published.get(SummaryColumn.JOB_NUM);
        } else {
            csv = resolveFile(config.traceFile(), work);
        }
        TraceResult result;
        try (TraceDatabase db = TraceDatabase.inMemory(config.engineThreads())) {
            ctx.checkpoint(0.4, "loading " + csv.getFileName());
            long t0 = System.nanoTime();
            TraceDatabase.Load load = db.load(csv, config.skipMalformedRows() ? AcmeTraceReader.OnError.SKIP
                    : AcmeTraceReader.OnError.STOP, ctx.cancel());
            long t1 = System.nanoTime();
            ctx.checkpoint(0.55, "statistics of " + load.scan().rows() + " jobs");
            TraceDashboard dashboard = TraceStatistics.dashboard(db, preset.clusterId(), ctx.cancel());
            long t2 = System.nanoTime();
            List<ReproductionRow> summary = ReproductionTable.summaryRows(published, dashboard.summary(), scale);
            List<ReproductionRow> claims = ReproductionTable.claimRows(db, preset.clusterId());
            List<ReproductionRow> medians = typeMedians(db, preset);
            ctx.checkpoint(0.65, "simulating");
            CheckpointSimulator.Sweep sweep = null;
            CheckpointSimulator.Run run = null;
            if (config.simulateCheckpoints()) {
                CheckpointSimulator.Params p = config.checkpointParams();
                sweep = CheckpointSimulator.sweep(p, 5, 600, 25, 8, config.seed());
                run = CheckpointSimulator.simulate(p, config.seed(), true);
            }
            ctx.cancel().throwIfCancelled();
            List<EvalSchedulingSimulator.Comparison> eval = new ArrayList<>();
            if (config.simulateEvaluation()) {
                var datasets = EvalSchedulingSimulator.defaultDatasets(0);
                for (int n = 1; n <= config.evalMaxNodes(); n++) {
                    EvalSchedulingSimulator.Params d = EvalSchedulingSimulator.Params.defaults(n);
                    eval.add(EvalSchedulingSimulator.compare(new EvalSchedulingSimulator.Params(n, config.modelGb(),
                            d.nicGbps(), d.pcieGBps(), d.startupS(), d.cpuWorkers(), d.lpt()), datasets));
                    ctx.checkpoint(0.65 + 0.3 * n / config.evalMaxNodes(), "evaluation scheduling on " + n + " nodes");
                }
            }
            result = new TraceResult(preset.clusterId(), ctx.outDir() != null ? csv : null, load.scan(), scale,
                    dashboard, summary, claims, medians, (t1 - t0) / 1e9, (t2 - t1) / 1e9, sweep, run, eval,
                    load.releaseNote());
        }
        record(result, ctx.metrics());
        if (ctx.outDir() != null) {
            TraceArtifacts.write(result, ctx.outDir());
        } else {
            if (config.generated()) {
                Files.deleteIfExists(csv);
            }
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
        return result;
    }

    /** A path, or {@code bundled:NAME} copied from the workbench's resources into the run folder. */
    static Path resolveFile(String traceFile, Path work) throws IOException {
        if (!traceFile.startsWith(TraceConfig.BUNDLED)) {
            Path p = Path.of(traceFile);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("traceFile", "no such file: " + p.toAbsolutePath());
            }
            return p;
        }
        String name = traceFile.substring(TraceConfig.BUNDLED.length());
        if (!name.matches("[A-Za-z0-9_.-]+\\.csv")) {
            throw new ConfigException("traceFile", "bundled:NAME.csv, got " + traceFile);
        }
        try (InputStream in = TraceExperiment.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new ConfigException("traceFile", "no bundled trace " + name
                        + "; bundled: trace_seren_head3.csv, trace_kalos_head3.csv");
            }
            Path target = work.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /** Per-type duration medians of GPU jobs against the figure curves' medians (±5 %). */
    static List<ReproductionRow> typeMedians(TraceDatabase db, ClusterPreset preset) throws SQLException {
        List<ReproductionRow> rows = new ArrayList<>();
        if (!preset.perTypeCurves()) {
            return rows;
        }
        FigureCurves curves = FigureCurves.bundled();
        for (String type : preset.gpuTypeMix().keySet()) {
            if (type.equals("SFT") && preset == ClusterPreset.KALOS) {
                continue;
            }
            double published = curves.get("cdf_job_duration_queue", "duration", preset.typeSeries(type)).median();
            double recomputed = TraceStatistics.quantile(db, "duration_s", 0.5,
                    "is_gpu AND type = " + TraceDatabase.literal(type));
            rows.add(new ReproductionRow(preset.clusterId(), "median duration of " + type + " jobs (figure curve)",
                    published, recomputed, "s", "±5 % relative", Double.isNaN(recomputed) ? Agreement.NOT_AVAILABLE
                    : ReproductionTable.verdict(ReproductionTable.relative(recomputed, published),
                    ReproductionTable.RELATIVE_TOLERANCE)));
        }
        return rows;
    }

    private static void record(TraceResult r, MetricsSink m) {
        for (ReproductionRow row : r.summaryRows()) {
            if (!Double.isNaN(row.recomputed())) {
                m.summary("summary_" + row.quantity(), round(row.recomputed()));
            }
            if (!Double.isNaN(row.published())) {
                m.summary("published_" + row.quantity(), row.published());
            }
        }
        m.summary("jobs_loaded", r.scan().rows());
        m.summary("rows_skipped", r.scan().skippedRows());
        m.summary("duration_includes_queueing", r.scan().durationIncludesQueueing() ? 1 : 0);
        m.summary("rows_agreeing", r.agreeing());
        m.summary("rows_compared", r.allRows().stream().filter(x -> x.agreement() != Agreement.NOT_AVAILABLE).count());
        m.summary("load_s", r.loadSeconds());
        m.summary("stats_s", r.statsSeconds());
        if (r.checkpointSweep() != null) {
            CheckpointSimulator.Sweep s = r.checkpointSweep();
            for (int i = 0; i < s.intervalsMin().length; i++) {
                m.record("goodput_vs_interval", i, round(s.goodput()[i]));
            }
            m.summary("best_interval_min", round(s.bestIntervalMin()));
            m.summary("young_daly_interval_min", round(s.youngDalyMin()));
            m.summary("goodput", round(r.checkpointRun().goodput()));
            m.summary("manual_interventions", r.checkpointRun().manualInterventions());
            m.summary("failures", r.checkpointRun().failures());
        }
        for (int i = 0; i < r.evaluation().size(); i++) {
            EvalSchedulingSimulator.Comparison c = r.evaluation().get(i);
            m.record("eval_makespan_reduction", i + 1, round(c.speedup()));
            m.record("eval_baseline_makespan", i + 1, c.baseline().makespanS());
            m.record("eval_coordinator_makespan", i + 1, c.coordinator().makespanS());
        }
    }

    /** 10 significant digits: DuckDB's parallel sums may differ in the last bits between runs. */
    static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(10)).doubleValue();
    }

    static String csvLine(Object... values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            String s = v instanceof Double d ? (Double.isNaN(d) ? "" : Double.toString(d)) : String.valueOf(v);
            sb.append(s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s);
        }
        return sb.append('\n').toString();
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8);
    }
}
