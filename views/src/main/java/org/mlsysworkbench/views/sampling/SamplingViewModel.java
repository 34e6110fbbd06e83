package org.mlsysworkbench.views.sampling;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
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
import org.mlsysworkbench.algorithms.graph.sampling.PhaseClock;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingConfig;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingResult;
import org.mlsysworkbench.views.core.Fields;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * State of the sampling page: the editable config (as text and toggles over a base config that carries the
 * remaining fields), the last result, and what the charts show. The overlap heat map and the bytes figure
 * follow the match / reorder toggles at once, from the same pre-sampled batches, so a user sees what each
 * switch saves without rerunning. Each finished run appends one configuration to the phase breakdown and the
 * throughput charts (its label names model and strategies). Live metrics of a running experiment arrive from
 * its worker thread, tagged with the run's label, in a queue the view drains (at most 30 Hz). No nodes; tests
 * drive it with {@link TaskRunner#sameThread()}.
 */
public final class SamplingViewModel {

    /**
     * One finished run (one configuration): its mean epoch time per phase (epochs after the first when there
     * are several) and its per-epoch throughputs.
     *
     * @param label            the run's name in every chart: number, model and strategies
     * @param phaseMs          mean milliseconds per epoch, in {@link PhaseClock.Phase} order
     * @param sampledEdgesPerS per epoch: sampled edges over the sample + ID-map seconds
     * @param trainSeedsPerS   per epoch: training seeds over the epoch's seconds
     */
    public record PhaseRow(String label, double[] phaseMs, double[] sampledEdgesPerS, double[] trainSeedsPerS) {
    }

    /** A metric point recorded by the running experiment, tagged with the run's label. */
    public record LivePoint(String run, String series, long step, double value) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final BenchDefinition<SamplingConfig, SamplingResult> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private SamplingConfig base;

    private final StringProperty dataset = new SimpleStringProperty();
    private final StringProperty dataPath = new SimpleStringProperty();
    private final StringProperty datasetName = new SimpleStringProperty();
    private final StringProperty fanouts = new SimpleStringProperty();
    private final StringProperty batchSize = new SimpleStringProperty();
    private final StringProperty epochs = new SimpleStringProperty();
    private final StringProperty seed = new SimpleStringProperty();
    private final StringProperty seedOrder = new SimpleStringProperty();
    private final StringProperty idMapping = new SimpleStringProperty();
    private final StringProperty aggregation = new SimpleStringProperty();
    private final StringProperty model = new SimpleStringProperty();
    private final StringProperty gcnNorm = new SimpleStringProperty();
    private final DoubleProperty cacheRatio = new SimpleDoubleProperty();
    private final BooleanProperty match = new SimpleBooleanProperty();
    private final BooleanProperty reorder = new SimpleBooleanProperty();
    private final BooleanProperty train = new SimpleBooleanProperty();

    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run to sample and train.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<SamplingResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<double[][]> heatmap = new ReadOnlyObjectWrapper<>(new double[0][0]);
    private final ReadOnlyLongWrapper bytesMoved = new ReadOnlyLongWrapper(0);
    private final ReadOnlyStringWrapper bytesText = new ReadOnlyStringWrapper("No run yet.");
    private final ReadOnlyStringWrapper runLabel = new ReadOnlyStringWrapper("");
    private final ObservableList<PhaseRow> phaseRows = FXCollections.observableArrayList();
    private final ConcurrentLinkedQueue<LivePoint> live = new ConcurrentLinkedQueue<>();
    private TaskRunner.Handle handle;
    private int runs;

    public SamplingViewModel(BenchDefinition<SamplingConfig, SamplingResult> bench, TaskRunner tasks,
                             Supplier<Backend> backend, Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        load(bench.defaults());
        for (StringProperty p : List.of(dataset, dataPath, datasetName, fanouts, batchSize, epochs, seed, seedOrder,
                idMapping, aggregation, model, gcnNorm)) {
            p.addListener((o, a, b) -> config());
        }
        cacheRatio.addListener((o, a, b) -> config());
        train.addListener((o, a, b) -> config());
        match.addListener((o, a, b) -> movementChanged());
        reorder.addListener((o, a, b) -> movementChanged());
    }

    public StringProperty datasetProperty() {
        return dataset;
    }

    public StringProperty dataPathProperty() {
        return dataPath;
    }

    public StringProperty datasetNameProperty() {
        return datasetName;
    }

    /** Fanouts, leaf to root, comma-separated ("10, 25": seeds get 25 neighbours). */
    public StringProperty fanoutsProperty() {
        return fanouts;
    }

    public StringProperty batchSizeProperty() {
        return batchSize;
    }

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public StringProperty seedOrderProperty() {
        return seedOrder;
    }

    public StringProperty idMappingProperty() {
        return idMapping;
    }

    public StringProperty aggregationProperty() {
        return aggregation;
    }

    /** "sage" or "gcn". */
    public StringProperty modelProperty() {
        return model;
    }

    /** GCN normalisation: "both" (symmetric) or "right" (mean). */
    public StringProperty gcnNormProperty() {
        return gcnNorm;
    }

    /** The label of the running (or last) run, as its series are named in the charts. */
    public ReadOnlyStringProperty runLabelProperty() {
        return runLabel.getReadOnlyProperty();
    }

    public DoubleProperty cacheRatioProperty() {
        return cacheRatio;
    }

    public BooleanProperty matchProperty() {
        return match;
    }

    public BooleanProperty reorderProperty() {
        return reorder;
    }

    public BooleanProperty trainProperty() {
        return train;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SamplingResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The overlap matrix to draw: in sampled order, or in the greedy chain's order when reorder is on. */
    public ReadOnlyObjectProperty<double[][]> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    /** Host-to-device feature bytes of the first epoch under the current match / reorder toggles. */
    public ReadOnlyLongProperty bytesMovedProperty() {
        return bytesMoved.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty bytesTextProperty() {
        return bytesText.getReadOnlyProperty();
    }

    /** One row per finished run: the stacked bars of the phase chart. */
    public ObservableList<PhaseRow> phaseRows() {
        return phaseRows;
    }

    /** Hands every queued live point to {@code sink}, oldest first (the view calls this from its timer). */
    public void drainLive(java.util.function.Consumer<LivePoint> sink) {
        for (LivePoint p; (p = live.poll()) != null; ) {
            sink.accept(p);
        }
    }

    /** Puts a config into the fields; fields without a control are kept from {@code c}. */
    public void load(SamplingConfig c) {
        base = c;
        dataset.set(c.dataset());
        dataPath.set(c.dataPath());
        datasetName.set(c.datasetName());
        fanouts.set(Fields.join(c.fanouts()));
        batchSize.set(Integer.toString(c.batchSize()));
        epochs.set(Integer.toString(c.epochs()));
        seed.set(Long.toString(c.seed()));
        seedOrder.set(c.seedOrder());
        idMapping.set(c.idMapping());
        aggregation.set(c.aggregation());
        model.set(c.model());
        gcnNorm.set(c.gcnNorm());
        cacheRatio.set(c.cacheRatio());
        match.set(c.match());
        reorder.set(c.reorder());
        train.set(c.train());
        config();
    }

    /** Parses and loads a config document; a bad one throws {@link ConfigException} and changes nothing. */
    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The config the fields describe, validated; empty (with {@link #errorProperty()} set) when invalid. */
    public Optional<SamplingConfig> config() {
        try {
            SamplingConfig b = base;
            SamplingConfig c = new SamplingConfig(SamplingConfig.SCHEMA, parseLong("seed", seed.get()),
                    dataset.get(), dataPath.get(), datasetName.get(), b.sbmNodes(), b.sbmClasses(), b.sbmMeanDegree(),
                    b.sbmHomophily(), b.sbmFeatureDim(), b.sbmFeatureNoise(), b.rmatPreset(), b.rmatScale(),
                    b.rmatFeatureDim(), Fields.parseInts("fanouts", fanouts.get()), b.replace(),
                    (int) parseLong("batchSize", batchSize.get()), seedOrder.get(), idMapping.get(), cacheRatio.get(),
                    match.get(), reorder.get(), aggregation.get(), train.get(), b.hidden(),
                    (int) parseLong("epochs", epochs.get()), b.learningRate(), b.weightDecay(), b.dropout(),
                    b.normalizeFeatures(), model.get(), gcnNorm.get());
            c.validate();
            error.set("");
            return Optional.of(c);
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return Optional.empty();
        }
    }

    public String configJson() {
        return Json.write(config().orElse(base));
    }

    private static long parseLong(String field, String text) {
        try {
            return Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(field, "a whole number, got '" + text + "'");
        }
    }

    /** Starts a run of the current config into a new run folder; ignored while one runs or when invalid. */
    public void run() {
        if (running.get()) {
            return;
        }
        Optional<SamplingConfig> c = config();
        if (c.isEmpty()) {
            status.set("Cannot run: " + error.get());
            return;
        }
        Path dir = runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        running.set(true);
        status.set("Running…");
        live.clear();
        Backend b = backend.get();
        SamplingConfig config = c.get();
        String label = label(runs + 1, config);
        runLabel.set(label);
        MetricsSink liveSink = (series, step, value) -> live.add(new LivePoint(label, series, step, value));
        handle = tasks.submit("Sampling: " + config.dataset(), (progress, cancel) ->
                        RunFolder.run(bench, config, dir, b, progress, cancel, liveSink),
                outcome -> {
                    running.set(false);
                    show(label, outcome.result());
                    status.set(String.format(Locale.ROOT, "%s on %s; files in %s", outcome.result().datasetSummary(),
                            b, outcome.dir()));
                },
                failure -> {
                    running.set(false);
                    status.set(failure instanceof CancelledException ? "Cancelled."
                            : "Failed: " + failure.getMessage());
                });
    }

    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    /** The chart name of run number {@code n}: model and strategies. */
    static String label(int n, SamplingConfig config) {
        String model = !config.train() ? "no training" : "gcn".equals(config.model()) ? "GCN-" + config.gcnNorm()
                : "SAGE";
        return String.format(Locale.ROOT, "#%d %s, %s, %s%s%s", n, model, config.idMapping(), config.aggregation(),
                config.match() ? ", match" : "", config.reorder() ? "+reorder" : "");
    }

    /** Shows a finished result (also used when a workspace restores one). */
    void show(String label, SamplingResult r) {
        result.set(r);
        runs++;
        double[][] ms = r.epochPhaseMs();
        int first = ms.length > 1 ? 1 : 0;
        double[] mean = new double[PhaseClock.Phase.values().length];
        for (int e = first; e < ms.length; e++) {
            for (int p = 0; p < mean.length; p++) {
                mean[p] += ms[e][p] / (ms.length - first);
            }
        }
        phaseRows.add(new PhaseRow(label, mean, r.sampledEdgesPerS().clone(), r.trainSeedsPerS().clone()));
        movementChanged();
    }

    private void movementChanged() {
        SamplingResult r = result.get();
        if (r == null) {
            return;
        }
        heatmap.set(reorder.get() ? r.overlapAfter() : r.overlapBefore());
        long bytes = r.bytesConfigured(match.get(), reorder.get());
        bytesMoved.set(bytes);
        double saved = r.bytesNaive() == 0 ? 0 : 100.0 * (r.bytesNaive() - bytes) / r.bytesNaive();
        bytesText.set(String.format(Locale.ROOT, "First epoch host→device features: %.2f MB (%s%s), %.1f%% less "
                        + "than copying every row (%.2f MB). Consecutive overlap %.1f%% → %.1f%% after reorder.",
                bytes / 1e6, match.get() ? "cache + match" : "cache only", match.get() && reorder.get() ? " + reorder"
                        : "", saved, r.bytesNaive() / 1e6, 100 * r.meanOverlapBefore(), 100 * r.meanOverlapAfter()));
    }
}
