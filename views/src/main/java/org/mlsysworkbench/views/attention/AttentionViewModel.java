package org.mlsysworkbench.views.attention;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mlsysworkbench.algorithms.attention.AttentionBench;
import org.mlsysworkbench.algorithms.attention.AttentionBenchmark;
import org.mlsysworkbench.algorithms.attention.AttentionConfig;
import org.mlsysworkbench.algorithms.attention.AttentionResult;
import org.mlsysworkbench.algorithms.attention.PrefillPlan;
import org.mlsysworkbench.algorithms.attention.RecallEvaluation;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * State of the attention page: the editable controls (budget, page sizes, reuse interval, streaming ratio,
 * sink/local sizes, context), the run state, and the last result the panels draw. No nodes; testable without a
 * toolkit with {@link TaskRunner#sameThread()} and a direct executor. Changing the budget, the reuse interval or
 * the streaming ratio reruns the experiment (the newest request wins: results of older generations are dropped).
 */
public final class AttentionViewModel {

    /** Budget bounds of the control (tokens). */
    public static final int MIN_BUDGET = 16;
    public static final int MAX_BUDGET = 1 << 20;

    // not owned
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private final Executor ui;

    private AttentionConfig base;
    private final IntegerProperty budgetTokens = new SimpleIntegerProperty();
    private final IntegerProperty pageTokens = new SimpleIntegerProperty();
    private final IntegerProperty logicalTokens = new SimpleIntegerProperty();
    private final IntegerProperty reuseInterval = new SimpleIntegerProperty();
    private final DoubleProperty streamingRatio = new SimpleDoubleProperty();
    private final IntegerProperty sinkTokens = new SimpleIntegerProperty();
    private final IntegerProperty localTokens = new SimpleIntegerProperty();
    private final IntegerProperty contextTokens = new SimpleIntegerProperty();
    private final IntegerProperty tileHead = new SimpleIntegerProperty(0);
    private final ReadOnlyStringWrapper workload = new ReadOnlyStringWrapper();
    private final javafx.beans.property.StringProperty modelPath = new javafx.beans.property.SimpleStringProperty();

    private final ReadOnlyObjectWrapper<AttentionResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("ready");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper generation = new ReadOnlyIntegerWrapper(0);
    private final ObservableList<double[]> liveRecall = FXCollections.observableArrayList();
    private final ObservableList<BenchmarkReport.Row> speedRows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper speedRunning = new ReadOnlyBooleanWrapper(false);
    private TaskRunner.Handle speedHandle;
    private boolean autoRun = true;
    private TaskRunner.Handle handle;
    private boolean loading;

    /**
     * @param runsDir where run folders go, or null to run in memory
     * @param ui      runs result and progress updates on the UI thread ({@code Platform::runLater} in the app)
     */
    public AttentionViewModel(TaskRunner tasks, Supplier<Backend> backend, Path runsDir, Executor ui) {
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        this.ui = ui;
        load(AttentionConfig.defaults());
        budgetTokens.addListener((o, a, b) -> rerun());
        reuseInterval.addListener((o, a, b) -> rerun());
        streamingRatio.addListener((o, a, b) -> rerun());
    }

    /** Replaces every control value with those of {@code config} (validated first). */
    public void load(AttentionConfig config) {
        config.validate();
        loading = true;
        try {
            base = config;
            budgetTokens.set(config.budgetTokens());
            pageTokens.set(config.pageTokens());
            logicalTokens.set(config.logicalTokens());
            reuseInterval.set(config.reuseInterval());
            streamingRatio.set(config.streamingRatio());
            sinkTokens.set(config.sinkTokens());
            localTokens.set(config.localTokens());
            contextTokens.set(config.contextTokens());
            workload.set(config.workload());
            modelPath.set(config.modelPath());
        } finally {
            loading = false;
        }
    }

    /** Parses and loads a config; on error the previous config stays and the error is returned. */
    public void loadJson(String json) {
        load(AttentionBench.definition().parseConfig(json, "config"));
    }

    /** The config the controls describe now; throws {@link ConfigException} naming the bad field. */
    public AttentionConfig config() {
        AttentionConfig b = base;
        return new AttentionConfig(b.schemaVersion(), b.seed(), b.workload(), modelPath.get(), contextTokens.get(),
                streamingRatio.get(), sinkTokens.get(), localTokens.get(), budgetTokens.get(), pageTokens.get(),
                logicalTokens.get(), reuseInterval.get(), b.scorer(), b.calibrationTokens(), b.traceLayer(),
                b.traceHead(), b.sweepBudgets(), b.sweepReuse(), b.needleHeads(), b.needleHeadDim(), b.needleTrials(),
                b.needleLogit(), b.recallSequences(), b.trainSteps()).validate();
    }

    /**
     * Switches workload, loading its preset: stories260K with the small-model defaults ({@code model}), the 64K
     * needle haystack with LServe's defaults ({@code needle}), the bundled recall model on held-out recall sequences
     * ({@code recall}), or training a recall model in the run ({@code train-recall}).
     */
    public void selectWorkload(String name) {
        if (name == null || name.equals(workload.get())) {
            return;
        }
        AttentionConfig preset;
        switch (name) {
            case AttentionConfig.NEEDLE:
                preset = AttentionConfig.needle64k();
                break;
            case AttentionConfig.RECALL:
                preset = AttentionConfig.recall();
                break;
            case AttentionConfig.TRAIN_RECALL:
                preset = trainRecallPreset();
                break;
            default:
                preset = AttentionConfig.defaults();
                break;
        }
        String path = modelPath.get();
        boolean keepPath = AttentionConfig.MODEL.equals(name) && path != null
                && !AttentionConfig.RECALL_MODEL.equals(path);
        load(preset);
        if (keepPath) {
            modelPath.set(path);
        }
    }

    /** The model choices of the page. */
    public static final String STORIES = "stories260K";
    public static final String RECALL_MODEL = "recall model";
    public static final String USER_FILE = "checkpoint file";

    /**
     * Chooses the model: {@link #STORIES} (model workload on the bundled stories260K), {@link #RECALL_MODEL} (recall
     * workload on the bundled recall model) or {@link #USER_FILE} with a path (model workload on that checkpoint).
     */
    public void selectModel(String choice, String file) {
        if (RECALL_MODEL.equals(choice)) {
            selectWorkload(AttentionConfig.RECALL);
            return;
        }
        selectWorkload(AttentionConfig.MODEL);
        modelPath.set(USER_FILE.equals(choice) && file != null ? file : AttentionConfig.STORIES_260K);
    }

    /** The model choice the current workload and checkpoint correspond to. */
    public String modelChoice() {
        String w = workload.get();
        if (AttentionConfig.RECALL.equals(w) || AttentionConfig.TRAIN_RECALL.equals(w)) {
            return RECALL_MODEL;
        }
        String path = modelPath.get();
        return path == null || AttentionConfig.STORIES_260K.equals(path) ? STORIES : USER_FILE;
    }

    private static AttentionConfig trainRecallPreset() {
        AttentionConfig r = AttentionConfig.recall();
        return new AttentionConfig(r.schemaVersion(), r.seed(), AttentionConfig.TRAIN_RECALL, r.modelPath(),
                r.contextTokens(), r.streamingRatio(), r.sinkTokens(), r.localTokens(), r.budgetTokens(),
                r.pageTokens(), r.logicalTokens(), r.reuseInterval(), r.scorer(), r.calibrationTokens(),
                r.traceLayer(), r.traceHead(), r.sweepBudgets(), r.sweepReuse(), r.needleHeads(), r.needleHeadDim(),
                r.needleTrials(), r.needleLogit(), 100, TRAIN_RECALL_STEPS);
    }

    /** Optimizer steps of the train-recall preset (the shipped model's recipe). */
    public static final int TRAIN_RECALL_STEPS = 1500;

    /** Sets the budget, clamped to [{@link #MIN_BUDGET}, {@link #MAX_BUDGET}]; reruns when auto-run is on. */
    public void requestBudget(int tokens) {
        budgetTokens.set(Math.max(MIN_BUDGET, Math.min(MAX_BUDGET, tokens)));
    }

    /** Whether control changes rerun the experiment (on by default). */
    public void setAutoRun(boolean on) {
        autoRun = on;
    }

    private void rerun() {
        if (!loading && autoRun && result.get() != null) {
            run();
        }
    }

    /** Starts a run of the current config; a running one is cancelled and its result will be dropped. */
    public void run() {
        AttentionConfig config;
        try {
            config = config();
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return;
        }
        error.set("");
        if (handle != null && !handle.isDone()) {
            handle.cancel();
        }
        int gen = generation.get() + 1;
        generation.set(gen);
        running.set(true);
        progress.set(0);
        status.set("running");
        liveRecall.clear();
        Backend b = backend.get();
        handle = tasks.submit("Attention: " + config.workload(), (p, cancel) -> execute(config, b, gen, p, cancel),
                r -> {
                    if (gen == generation.get()) {
                        result.set(r);
                        running.set(false);
                        progress.set(1);
                        status.set(summary(r));
                    }
                },
                t -> {
                    if (gen == generation.get()) {
                        running.set(false);
                        error.set(t.getMessage() == null ? t.toString() : t.getMessage());
                        status.set("failed");
                    }
                });
    }

    private AttentionResult execute(AttentionConfig config, Backend b, int gen, ProgressListener p,
                                    CancellationToken cancel) throws Exception {
        ProgressListener live = (f, m) -> {
            p.progress(f, m);
            ui.execute(() -> {
                if (gen == generation.get()) {
                    progress.set(f);
                    status.set(m);
                }
            });
        };
        MetricsSink recall = (series, step, value) -> {
            if ("trace_recall".equals(series)) {
                ui.execute(() -> {
                    if (gen == generation.get()) {
                        liveRecall.add(new double[] {step, value});
                    }
                });
            }
        };
        if (runsDir == null) {
            RunContext ctx = new RunContext(new SplittableRandom(config.seed()), live, cancel, recall, b, null);
            return AttentionBench.definition().experiment().run(config, ctx);
        }
        Path dir = runsDir.resolve(AttentionBench.ID).resolve(
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        return RunFolder.run(AttentionBench.definition(), config, dir, b, live, cancel, recall).result();
    }

    /**
     * Measures dense against LServe attention with {@code bench attention --quick} on the current backend (decode
     * at 4K and 16K, prefill at 2K and 4K): the rows arrive in {@link #speedRows()} as they are measured.
     */
    public void measureSpeed() {
        if (speedRunning.get()) {
            return;
        }
        speedRows.clear();
        speedRunning.set(true);
        Backend b = backend.get();
        speedHandle = tasks.submit("Attention speed (quick bench)", (p, cancel) -> {
            BenchmarkReport report = new BenchmarkReport(row -> ui.execute(() -> speedRows.add(row)));
            new AttentionBenchmark().run(report, b, true, cancel);
            return report;
        }, r -> speedRunning.set(false), t -> {
            speedRunning.set(false);
            error.set("speed measurement failed: " + t.getMessage());
        });
    }

    /** Rows of the last speed measurement. */
    public ObservableList<BenchmarkReport.Row> speedRows() {
        return speedRows;
    }

    public ReadOnlyBooleanProperty speedRunningProperty() {
        return speedRunning.getReadOnlyProperty();
    }

    /** Cancels the running work, if any. */
    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
        if (speedHandle != null) {
            speedHandle.cancel();
        }
        generation.set(generation.get() + 1);
        running.set(false);
        status.set("cancelled");
    }

    /** One line for the status bar. */
    static String summary(AttentionResult r) {
        if (r.recall() != null) {
            RecallEvaluation.Result e = r.recall();
            return String.format(Locale.ROOT, "recall accuracy dense %.3f, LServe %.3f (mass recall at the query %.3f);"
                    + " zeroing retrieval heads %.3f, streaming heads %.3f", e.denseAccuracy(), e.lserveAccuracy(),
                    e.queryMassRecall(), e.zeroRetrievalAccuracy(), e.zeroStreamingAccuracy());
        }
        if (AttentionConfig.MODEL.equals(r.workload())) {
            return String.format(Locale.ROOT, "next-token agreement %.3f (beyond budget %.3f), recall %.3f",
                    r.agreement(), r.agreementBeyondBudget(), r.meanRecall());
        }
        return String.format(Locale.ROOT, "needle hit rate %.3f over %d trials, recall %.3f", r.hitRate(),
                r.trials().size(), r.meanRecall());
    }

    /**
     * The recall model's evaluation as {@code [label, value]} rows: accuracies (dense, LServe, the four ablations)
     * and attention-mass recall; empty when the last result is not a recall run.
     */
    public List<Object[]> recallRows() {
        AttentionResult r = result.get();
        if (r == null || r.recall() == null) {
            return List.of();
        }
        RecallEvaluation.Result e = r.recall();
        return List.of(new Object[] {"dense", e.denseAccuracy()}, new Object[] {"LServe", e.lserveAccuracy()},
                new Object[] {"zero retrieval", e.zeroRetrievalAccuracy()},
                new Object[] {"zero streaming", e.zeroStreamingAccuracy()},
                new Object[] {"retrieval local", e.localRetrievalAccuracy()},
                new Object[] {"streaming local", e.localStreamingAccuracy()},
                new Object[] {"int8 KV", e.int8Accuracy()});
    }

    /** One paragraph explaining the recall panel's numbers, with their formulas. */
    public String recallSummary() {
        AttentionResult r = result.get();
        if (r == null || r.recall() == null) {
            return "choose the recall model (or train-recall) to see retrieval accuracy and the head ablation";
        }
        RecallEvaluation.Result e = r.recall();
        return String.format(Locale.ROOT, "accuracy = fraction of held-out sequences whose argmax at the final query "
                + "is the value stored with that key. Budget B = %d of %d tokens. Attention-mass recall "
                + "sum_{p selected} mass_p of retrieval heads: %.3f at the query token, %.3f over all steps beyond B. "
                + "Zeroing removes a head's output; local-only keeps only sink + local window. Next-token agreement "
                + "dense vs LServe over all positions %.3f. Int8 KV (static per-layer scale s = max|x|/127): accuracy "
                + "%.3f, next-token agreement with float32 KV %.3f, logit error ||l8 - l|| / ||l|| = %.4f, KV bytes %d "
                + "-> %d.", budgetTokens.get(), contextTokens.get(), e.queryMassRecall(), e.massRecall(),
                e.nextTokenAgreement(), e.int8Accuracy(), e.int8Agreement(), e.int8LogitRelError(),
                e.kvBytesFloat32(), e.kvBytesInt8());
    }

    /** Text describing the page timeline: steps, mean selected pages per step, mean recall of the traced head. */
    public String timelineSummary() {
        AttentionResult r = result.get();
        if (r == null || r.timeline().isEmpty()) {
            return "no decode timeline (" + (r == null ? "not run" : r.workload() + " workload") + ")";
        }
        List<AttentionResult.TimelineStep> t = r.timeline();
        double pages = 0;
        double recall = 0;
        int reselected = 0;
        for (AttentionResult.TimelineStep s : t) {
            pages += s.pages().length;
            recall += s.recall();
            reselected += s.reselected() ? 1 : 0;
        }
        return String.format(Locale.ROOT, "layer %d head %d: %d steps, %.2f pages/step, %d reselections, "
                + "recall %.3f", r.traceLayer(), r.traceHead(), t.size(), pages / t.size(), reselected,
                recall / t.size());
    }

    /** Text for the prefill panel: realised sparsity and ideal speedup of the plan. */
    public String prefillSummary() {
        AttentionResult r = result.get();
        if (r == null) {
            return "";
        }
        PrefillPlan p = r.prefill();
        return String.format(Locale.ROOT, "%d x %d tiles of %d, r = 1 - visited/dense = %.3f, ideal speedup "
                + "1/(1-r) = %.2fx", p.queryTiles(), p.keyTiles(), p.tileQ(), p.sparsity(), p.idealSpeedup());
    }

    public IntegerProperty budgetTokensProperty() {
        return budgetTokens;
    }

    public IntegerProperty pageTokensProperty() {
        return pageTokens;
    }

    public IntegerProperty logicalTokensProperty() {
        return logicalTokens;
    }

    public IntegerProperty reuseIntervalProperty() {
        return reuseInterval;
    }

    public DoubleProperty streamingRatioProperty() {
        return streamingRatio;
    }

    public IntegerProperty sinkTokensProperty() {
        return sinkTokens;
    }

    public IntegerProperty localTokensProperty() {
        return localTokens;
    }

    public IntegerProperty contextTokensProperty() {
        return contextTokens;
    }

    /** {@code model} or {@code needle}; change it with {@link #selectWorkload}. */
    public ReadOnlyStringProperty workloadProperty() {
        return workload.getReadOnlyProperty();
    }

    /**
     * The llama2.c checkpoint of the model workload: a file, or {@code sample:NAME}. A bad file fails the next run
     * with a message naming the file and field; the previous result stays on screen.
     */
    public javafx.beans.property.StringProperty modelPathProperty() {
        return modelPath;
    }

    /** The query head whose prefill tile map is shown. */
    public IntegerProperty tileHeadProperty() {
        return tileHead;
    }

    public ReadOnlyObjectProperty<AttentionResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty generationProperty() {
        return generation.getReadOnlyProperty();
    }

    /** Traced-head recall points {@code [position, recall]} as they arrive during a run. */
    public ObservableList<double[]> liveRecall() {
        return liveRecall;
    }
}
