package org.mlsysworkbench.views.trace;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.algorithms.trace.AcmeTraceReader;
import org.mlsysworkbench.algorithms.trace.Cdf;
import org.mlsysworkbench.algorithms.trace.CheckpointSimulator;
import org.mlsysworkbench.algorithms.trace.ReproductionRow;
import org.mlsysworkbench.algorithms.trace.ResultTable;
import org.mlsysworkbench.algorithms.trace.TraceConfig;
import org.mlsysworkbench.algorithms.trace.TraceDatabase;
import org.mlsysworkbench.algorithms.trace.TraceResult;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * The trace page's state: the trace to analyse (a generated cluster preset or a file), the last result,
 * the CDF grouping shown, the SQL console, and the fault-tolerance simulator's controls, which
 * re-simulate on their own (seconds) without reloading the trace. Runs go through {@link RunFolder}, so
 * the GUI writes the same files as {@code mlsys-workbench run trace}. No nodes; tests use
 * {@link TaskRunner#sameThread()}.
 */
public final class TraceViewModel implements AutoCloseable {

    /** How the duration and queueing CDFs are grouped. */
    public enum Grouping { GPU_VS_CPU, JOB_TYPES }

    /** Clusters of the generator, in picker order. */
    public static final List<String> CLUSTERS = List.of("Seren", "Kalos", "Philly", "Helios", "PAI");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final BenchDefinition<TraceConfig, TraceResult> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private TraceConfig base;

    private final BooleanProperty generated = new SimpleBooleanProperty(true);
    private final StringProperty cluster = new SimpleStringProperty("Kalos");
    private final StringProperty jobs = new SimpleStringProperty("62413");
    private final StringProperty traceFile = new SimpleStringProperty("");
    private final StringProperty seed = new SimpleStringProperty("42");
    private final BooleanProperty skipMalformed = new SimpleBooleanProperty(false);
    private final ObjectProperty<Grouping> grouping = new SimpleObjectProperty<>(Grouping.GPU_VS_CPU);
    private final DoubleProperty checkpointIntervalMin = new SimpleDoubleProperty(120);
    private final BooleanProperty asyncCheckpoints = new SimpleBooleanProperty(false);
    private final BooleanProperty automaticDiagnosis = new SimpleBooleanProperty(false);
    private final StringProperty sql = new SimpleStringProperty(
            "SELECT type, count(*) AS jobs, sum(gpu_seconds) / 3600 AS gpu_hours\nFROM jobs WHERE is_gpu "
                    + "GROUP BY type ORDER BY gpu_hours DESC");

    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run to generate and analyse a trace.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<TraceResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<CheckpointSimulator.Sweep> sweep = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<CheckpointSimulator.Run> checkpointRun = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<ResultTable> sqlResult = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper sqlStatus = new ReadOnlyStringWrapper("");
    private final ObservableList<ReproductionRow> reproduction = FXCollections.observableArrayList();
    private final ObservableList<Cdf> durationCurves = FXCollections.observableArrayList();
    private final ObservableList<Cdf> queueCurves = FXCollections.observableArrayList();
    private TaskRunner.Handle handle;
    private TraceDatabase console;
    private Path consoleCsv;
    private long simulationGeneration;

    public TraceViewModel(BenchDefinition<TraceConfig, TraceResult> bench, TaskRunner tasks, Supplier<Backend> backend,
                          Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        load(bench.defaults());
        generated.addListener((o, a, b) -> config());
        cluster.addListener((o, a, b) -> config());
        jobs.addListener((o, a, b) -> config());
        traceFile.addListener((o, a, b) -> config());
        seed.addListener((o, a, b) -> config());
        grouping.addListener((o, a, b) -> updateCurves());
        checkpointIntervalMin.addListener((o, a, b) -> resimulate());
        asyncCheckpoints.addListener((o, a, b) -> resimulate());
        automaticDiagnosis.addListener((o, a, b) -> resimulate());
    }

    public BooleanProperty generatedProperty() {
        return generated;
    }

    public StringProperty clusterProperty() {
        return cluster;
    }

    public StringProperty jobsProperty() {
        return jobs;
    }

    public StringProperty traceFileProperty() {
        return traceFile;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public BooleanProperty skipMalformedProperty() {
        return skipMalformed;
    }

    public ObjectProperty<Grouping> groupingProperty() {
        return grouping;
    }

    public DoubleProperty checkpointIntervalMinProperty() {
        return checkpointIntervalMin;
    }

    public BooleanProperty asyncCheckpointsProperty() {
        return asyncCheckpoints;
    }

    public BooleanProperty automaticDiagnosisProperty() {
        return automaticDiagnosis;
    }

    public StringProperty sqlProperty() {
        return sql;
    }

    /** Why the config cannot run (names the field), or "" when it is valid. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TraceResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Goodput vs checkpoint interval for the current simulator controls. */
    public ReadOnlyObjectProperty<CheckpointSimulator.Sweep> sweepProperty() {
        return sweep.getReadOnlyProperty();
    }

    /** One simulated window at the chosen interval (goodput, failures, manual interventions, timeline). */
    public ReadOnlyObjectProperty<CheckpointSimulator.Run> checkpointRunProperty() {
        return checkpointRun.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ResultTable> sqlResultProperty() {
        return sqlResult.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sqlStatusProperty() {
        return sqlStatus.getReadOnlyProperty();
    }

    /** Published vs recomputed rows of the last result. */
    public ObservableList<ReproductionRow> reproduction() {
        return reproduction;
    }

    /** Duration CDFs of the current grouping. */
    public ObservableList<Cdf> durationCurves() {
        return durationCurves;
    }

    /** Queueing CDFs of the current grouping. */
    public ObservableList<Cdf> queueCurves() {
        return queueCurves;
    }

    /** Puts a config into the fields. */
    public void load(TraceConfig c) {
        base = c;
        generated.set(c.generated());
        cluster.set(c.cluster());
        jobs.set(Integer.toString(c.jobs()));
        traceFile.set(c.traceFile());
        seed.set(Long.toString(c.seed()));
        skipMalformed.set(c.skipMalformedRows());
        checkpointIntervalMin.set(c.checkpointIntervalMin());
        asyncCheckpoints.set(c.asyncCheckpoints());
        automaticDiagnosis.set(c.automaticDiagnosis());
        config();
    }

    /** Parses and loads a config document; a bad one throws {@link ConfigException} and changes nothing. */
    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The config the fields describe, validated; empty (with {@link #errorProperty()} set) when invalid. */
    public Optional<TraceConfig> config() {
        try {
            long s = parseLong("seed", seed.get());
            int n = (int) Math.min(Integer.MAX_VALUE, parseLong("jobs", jobs.get()));
            TraceConfig c = generated.get() ? base.withGenerated(cluster.get(), n) : base.withFile(traceFile.get(),
                    cluster.get());
            c = new TraceConfig(c.schemaVersion(), s, c.source(), c.cluster(), c.jobs(), c.traceFile(),
                    skipMalformed.get(), c.engineThreads(), c.simulateCheckpoints(), c.ckptNodes(), c.nodeMtbfHours(),
                    c.checkpointIntervalMin(), c.syncCheckpointMin(), c.asyncCheckpoints(), c.asyncSpeedup(),
                    c.automaticDiagnosis(), c.ruleHitRate(), c.simulateEvaluation(), c.evalMaxNodes(), c.modelGb())
                    .withCheckpointing(checkpointIntervalMin.get(), asyncCheckpoints.get(), automaticDiagnosis.get());
            c.validate();
            error.set("");
            return Optional.of(c);
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return Optional.empty();
        }
    }

    public String configJson() {
        return Json.write(config().orElse(bench.defaults()));
    }

    private static long parseLong(String field, String text) {
        try {
            return Long.parseLong(text == null ? "" : text.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(field, "expected a whole number, got '" + text + "'");
        }
    }

    /** Starts a run of the current config into a new run folder; ignored while one runs or when invalid. */
    public void run() {
        if (running.get()) {
            return;
        }
        Optional<TraceConfig> c = config();
        if (c.isEmpty()) {
            status.set("Cannot run: " + error.get());
            return;
        }
        Path dir = runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        running.set(true);
        status.set("Running…");
        Backend b = backend.get();
        handle = tasks.submit("Trace: " + (c.get().generated() ? c.get().cluster() : c.get().traceFile()),
                (progress, cancel) -> RunFolder.run(bench, c.get(), dir, b, progress, cancel, MetricsSink.NONE),
                outcome -> {
                    running.set(false);
                    show(outcome.result());
                    status.set(String.format(Locale.ROOT, "%,d jobs loaded in %.2f s, statistics in %.2f s; "
                                    + "%d of %d rows agree; files in %s", outcome.result().scan().rows(),
                            outcome.result().loadSeconds(), outcome.result().statsSeconds(), outcome.result().agreeing(),
                            outcome.result().allRows().size(), outcome.dir())
                            + (outcome.result().releaseNote().isEmpty() ? "" : ". " + outcome.result().releaseNote()));
                },
                failure -> {
                    running.set(false);
                    status.set(failure instanceof CancelledException ? "Cancelled." : "Failed: " + failure.getMessage());
                });
    }

    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    /** Shows a result (after a run, or one computed elsewhere). */
    public void show(TraceResult r) {
        result.set(r);
        reproduction.setAll(r.allRows());
        sweep.set(r.checkpointSweep());
        checkpointRun.set(r.checkpointRun());
        updateCurves();
    }

    private void updateCurves() {
        TraceResult r = result.get();
        if (r == null) {
            durationCurves.clear();
            queueCurves.clear();
            return;
        }
        durationCurves.setAll(select(r.dashboard().durationCdfs()));
        queueCurves.setAll(select(r.dashboard().queueCdfs()));
    }

    private List<Cdf> select(List<Cdf> all) {
        List<Cdf> out = new ArrayList<>();
        for (Cdf c : all) {
            boolean gpuCpu = c.name().equals("GPU") || c.name().equals("CPU");
            if (gpuCpu == (grouping.get() == Grouping.GPU_VS_CPU)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Re-runs the fault-tolerance simulator for the current controls (not the trace). */
    public void resimulate() {
        Optional<TraceConfig> c = config();
        if (c.isEmpty() || result.get() == null || !c.get().simulateCheckpoints()) {
            return;
        }
        long generation = ++simulationGeneration;
        CheckpointSimulator.Params p = c.get().checkpointParams();
        long s = c.get().seed();
        tasks.submit("Fault-tolerance simulator", (progress, cancel) -> new Object[] {
            CheckpointSimulator.sweep(p, 5, 600, 25, 8, s), CheckpointSimulator.simulate(p, s, true)},
                out -> {
                    if (generation == simulationGeneration) {
                        sweep.set((CheckpointSimulator.Sweep) out[0]);
                        checkpointRun.set((CheckpointSimulator.Run) out[1]);
                    }
                },
                failure -> status.set("Simulator failed: " + failure.getMessage()));
    }

    /** Runs the console's SQL on the last result's trace (the engine is opened once per trace). */
    public void runSql() {
        TraceResult r = result.get();
        if (r == null || r.traceCsv() == null) {
            sqlStatus.set("Run a trace first: the console queries its table 'jobs'.");
            return;
        }
        String text = sql.get();
        Path csv = r.traceCsv();
        boolean skip = skipMalformed.get();
        tasks.submit("SQL", (progress, cancel) -> query(csv, text, skip, cancel),
                table -> {
                    sqlResult.set(table);
                    sqlStatus.set(table.rows().size() + (table.truncated() ? "+" : "") + " rows");
                },
                failure -> sqlStatus.set("SQL error: " + failure.getMessage()));
    }

    private synchronized ResultTable query(Path csv, String text, boolean skip,
                                           org.mlsysworkbench.algorithms.core.CancellationToken cancel)
            throws Exception {
        if (console == null || !csv.equals(consoleCsv)) {
            closeConsole();
            console = TraceDatabase.inMemory(0);
            console.load(csv, skip ? AcmeTraceReader.OnError.SKIP : AcmeTraceReader.OnError.STOP, cancel);
            consoleCsv = csv;
        }
        return console.query(text, 10_000);
    }

    private synchronized void closeConsole() {
        if (console != null) {
            try {
                console.close();
            } catch (SQLException ignored) {
                // closing an in-memory engine cannot lose data
            }
            console = null;
        }
    }

    @Override
    public void close() {
        closeConsole();
    }
}
