package org.mlsysworkbench.views.backends;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsResult;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.views.core.Fields;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * The Backends page's state: the config being edited (as the text the user typed), whether it is valid,
 * the running task and the measured rows. Runs go through {@link RunFolder}, so the GUI writes the same
 * files as {@code mlsys-workbench run backends}. No nodes; tests use {@link TaskRunner#sameThread()}.
 */
public final class BackendsViewModel {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final BenchDefinition<BackendsConfig, BackendsResult> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private final StringProperty saxpySizes = new SimpleStringProperty();
    private final StringProperty gemmSizes = new SimpleStringProperty();
    private final StringProperty sumSizes = new SimpleStringProperty();
    private final IntegerProperty repetitions = new SimpleIntegerProperty();
    private final StringProperty seed = new SimpleStringProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run to measure.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<Path> lastRunDir = new ReadOnlyObjectWrapper<>();
    private final ObservableList<BackendsResult.Row> rows = FXCollections.observableArrayList();
    private TaskRunner.Handle handle;

    public BackendsViewModel(BenchDefinition<BackendsConfig, BackendsResult> bench, TaskRunner tasks,
                             Supplier<Backend> backend, Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        load(bench.defaults());
        saxpySizes.addListener((o, a, b) -> config());
        gemmSizes.addListener((o, a, b) -> config());
        sumSizes.addListener((o, a, b) -> config());
        repetitions.addListener((o, a, b) -> config());
        seed.addListener((o, a, b) -> config());
    }

    public StringProperty saxpySizesProperty() {
        return saxpySizes;
    }

    public StringProperty gemmSizesProperty() {
        return gemmSizes;
    }

    public StringProperty sumSizesProperty() {
        return sumSizes;
    }

    public IntegerProperty repetitionsProperty() {
        return repetitions;
    }

    public StringProperty seedProperty() {
        return seed;
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

    public ReadOnlyObjectProperty<Path> lastRunDirProperty() {
        return lastRunDir.getReadOnlyProperty();
    }

    /** The measured rows of the last run (or of a loaded workspace). */
    public ObservableList<BackendsResult.Row> rows() {
        return rows;
    }

    /** Kernels present in the rows, in first-seen order. */
    public List<String> kernels() {
        LinkedHashSet<String> k = new LinkedHashSet<>();
        rows.forEach(r -> k.add(r.kernel()));
        return new ArrayList<>(k);
    }

    /** Puts a config into the fields. */
    public void load(BackendsConfig c) {
        saxpySizes.set(Fields.join(c.saxpySizes()));
        gemmSizes.set(Fields.join(c.gemmSizes()));
        sumSizes.set(Fields.join(c.sumSizes()));
        repetitions.set(c.repetitions());
        seed.set(Long.toString(c.seed()));
        config();
    }

    /** Parses and loads a config document; a bad one throws {@link ConfigException} and changes nothing. */
    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The config the fields describe, validated; empty (with {@link #errorProperty()} set) when invalid. */
    public Optional<BackendsConfig> config() {
        try {
            BackendsConfig c = new BackendsConfig(BackendsConfig.SCHEMA, parseSeed(),
                    Fields.parseInts("saxpySizes", saxpySizes.get()), Fields.parseInts("gemmSizes", gemmSizes.get()),
                    Fields.parseInts("sumSizes", sumSizes.get()),
                    repetitions.get());
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

    private long parseSeed() {
        try {
            return Long.parseLong(seed.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("seed", "an integer, got '" + seed.get() + "'");
        }
    }

    /** Starts a run of the current config into a new run folder; ignored while one runs or when invalid. */
    public void run() {
        if (running.get()) {
            return;
        }
        Optional<BackendsConfig> c = config();
        if (c.isEmpty()) {
            status.set("Cannot run: " + error.get());
            return;
        }
        Path dir = runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        running.set(true);
        status.set("Running…");
        Backend b = backend.get();
        handle = tasks.submit("Backends: " + b.id(), (progress, cancel) ->
                        RunFolder.run(bench, c.get(), dir, b, progress, cancel, MetricsSink.NONE),
                outcome -> {
                    running.set(false);
                    rows.setAll(outcome.result().rows());
                    lastRunDir.set(outcome.dir());
                    status.set(String.format(Locale.ROOT, "%d measurements on %s; files in %s",
                            outcome.result().rows().size(), b, outcome.dir()));
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

    /** The rows as JSON, for workspaces. */
    public String rowsJson() {
        return Json.write(new ArrayList<>(rows));
    }

    /** Restores rows saved by {@link #rowsJson()}. */
    public void loadRowsJson(String json) {
        try {
            List<BackendsResult.Row> list = Json.MAPPER.readValue(json, new TypeReference<List<BackendsResult.Row>>() {
            });
            rows.setAll(list);
        } catch (IOException e) {
            throw new ConfigException("viewState.results", "rows of a Backends result: " + e.getMessage(), e);
        }
    }

    /** Best throughput per kernel and backend, for workspace summaries. */
    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return m;
        }
        m.put("rows", Integer.toString(rows.size()));
        for (BackendsResult.Row r : rows) {
            String key = "best_" + r.kernel() + "_" + r.backend() + ("GFLOP/s".equals(r.unit()) ? "_gflops" : "_gbps");
            double prev = m.containsKey(key) ? Double.parseDouble(m.get(key)) : Double.NEGATIVE_INFINITY;
            if (r.throughput() > prev) {
                m.put(key, String.format(Locale.ROOT, "%.3f", r.throughput()));
            }
        }
        double maxErr = rows.stream().mapToDouble(BackendsResult.Row::maxError).max().orElse(0);
        m.put("max_error", String.format(Locale.ROOT, "%.3e", maxErr));
        return m;
    }
}
