package org.mlsysworkbench.views.cnnquant;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.mlsysworkbench.algorithms.cnnquant.CnnModelIo;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantConfig;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantResult;
import org.mlsysworkbench.algorithms.cnnquant.LayerError;
import org.mlsysworkbench.algorithms.cnnquant.PqLayer;
import org.mlsysworkbench.algorithms.cnnquant.SmallCnn;
import org.mlsysworkbench.algorithms.cnnquant.UniformQuantizer;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * State of the CNN-quantization page: the editable part of the config (the rest comes from the loaded config),
 * the run, and the views of its result: accuracy table, per-layer error table of a chosen method, the
 * calibration-set browser, the Q-CNN codebook of a chosen layer and subspace, and the loaded model.
 * No nodes; tests drive it with {@link TaskRunner#sameThread()}.
 */
public final class CnnQuantViewModel {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    /** The calibration sets, in browser order. */
    public static final List<String> CALIBRATION_SETS = List.of("real", "synthetic", "synthetic-generator", "noise");

    private final BenchDefinition<CnnQuantConfig, CnnQuantResult> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private CnnQuantConfig base;

    private final StringProperty dataset = new SimpleStringProperty();
    private final StringProperty seed = new SimpleStringProperty();
    private final IntegerProperty seeds = new SimpleIntegerProperty();
    private final IntegerProperty epochs = new SimpleIntegerProperty();
    private final StringProperty trainLimit = new SimpleStringProperty();
    private final StringProperty calibrator = new SimpleStringProperty();
    private final StringProperty bitPairs = new SimpleStringProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run to train and quantize.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<CnnQuantResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<CnnQuantResult.MethodRow> methods = FXCollections.observableArrayList();
    private final StringProperty errorMethod = new SimpleStringProperty("");
    private final ObservableList<LayerError> layerErrors = FXCollections.observableArrayList();
    private final StringProperty calibrationSet = new SimpleStringProperty("synthetic");
    private final IntegerProperty codebookLayer = new SimpleIntegerProperty(-1);
    private final IntegerProperty codebookSubspace = new SimpleIntegerProperty(0);
    private final ReadOnlyObjectWrapper<SmallCnn> model = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper modelMessage = new ReadOnlyStringWrapper("No model loaded.");
    private TaskRunner.Handle handle;

    public CnnQuantViewModel(BenchDefinition<CnnQuantConfig, CnnQuantResult> bench, TaskRunner tasks,
                             Supplier<Backend> backend, Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        load(bench.defaults());
        for (var p : List.of(dataset, seed, trainLimit, calibrator, bitPairs)) {
            p.addListener((o, a, b) -> config());
        }
        seeds.addListener((o, a, b) -> config());
        epochs.addListener((o, a, b) -> config());
        errorMethod.addListener((o, a, b) -> refreshLayerErrors());
        result.addListener((o, a, b) -> onResult(b));
    }

    public StringProperty datasetProperty() {
        return dataset;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public IntegerProperty seedsProperty() {
        return seeds;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public StringProperty trainLimitProperty() {
        return trainLimit;
    }

    public StringProperty calibratorProperty() {
        return calibrator;
    }

    /** Comma-separated W/A pairs, e.g. {@code 8/8, 4/4}. */
    public StringProperty bitPairsProperty() {
        return bitPairs;
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

    public ReadOnlyObjectProperty<CnnQuantResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Accuracy / size rows of the last run. */
    public ObservableList<CnnQuantResult.MethodRow> methods() {
        return methods;
    }

    /** The method whose per-layer errors {@link #layerErrors()} shows. */
    public StringProperty errorMethodProperty() {
        return errorMethod;
    }

    public ObservableList<LayerError> layerErrors() {
        return layerErrors;
    }

    /** Methods that have a per-layer error table. */
    public List<String> errorMethods() {
        CnnQuantResult r = result.get();
        return r == null ? List.of() : new ArrayList<>(r.layerErrors().keySet());
    }

    /** {@code real}, {@code synthetic} or {@code noise}: the set the browser shows. */
    public StringProperty calibrationSetProperty() {
        return calibrationSet;
    }

    /** Weight layer index (0..3) of the codebook view, -1 when no Q-CNN layer exists. */
    public IntegerProperty codebookLayerProperty() {
        return codebookLayer;
    }

    public IntegerProperty codebookSubspaceProperty() {
        return codebookSubspace;
    }

    /** The FP32 model in view: the last run's, or one loaded from a file. */
    public ReadOnlyObjectProperty<SmallCnn> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** What happened to the last load or save of a model (an error names the file and what was expected). */
    public ReadOnlyStringProperty modelMessageProperty() {
        return modelMessage.getReadOnlyProperty();
    }

    /** Puts a config into the fields; the fields the page does not show keep this config's values. */
    public void load(CnnQuantConfig c) {
        base = c;
        dataset.set(c.dataset());
        seed.set(Long.toString(c.seed()));
        seeds.set(c.seeds());
        epochs.set(c.epochs());
        trainLimit.set(Integer.toString(c.trainLimit()));
        calibrator.set(c.calibrator());
        bitPairs.set(String.join(", ", c.bitPairs()));
        config();
    }

    /** Parses and loads a config document; a bad one throws {@link ConfigException} and changes nothing. */
    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The config the fields describe, validated; empty (with {@link #errorProperty()} set) when invalid. */
    public Optional<CnnQuantConfig> config() {
        try {
            CnnQuantConfig b = base;
            List<String> pairs = new ArrayList<>();
            for (String p : (bitPairs.get() == null ? "" : bitPairs.get()).split("[,\\s]+")) {
                if (!p.isBlank()) {
                    pairs.add(p.trim());
                }
            }
            CnnQuantConfig c = new CnnQuantConfig(b.schemaVersion(), parseLong("seed", seed.get()), dataset.get(),
                    b.fashionMnistDir(), b.dataDir(), (int) parseLong("trainLimit", trainLimit.get()), b.testLimit(),
                    seeds.get(), b.c1(), b.c2(), b.hidden(), epochs.get(), b.batchSize(), b.learningRate(),
                    b.binaryLayers(), b.bwnhSamples(), b.bwnhSweeps(), b.fineTuneSteps(), b.calibrationImages(),
                    b.synthIterations(), b.synthLearningRate(), b.synthCeWeight(), b.synthPriorWeight(),
                    calibrator.get(), b.percentile(), pairs, b.pqSubDim(), b.pqCodewords(), b.pqSamples(),
                    b.pqSweeps(), b.probeImages(), b.pqFineTuneSteps(), b.generator());
            c.validate();
            error.set("");
            return Optional.of(c);
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return Optional.empty();
        }
    }

    private static long parseLong(String field, String text) {
        try {
            return Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(field, "an integer, got '" + text + "'");
        }
    }

    public String configJson() {
        return Json.write(config().orElse(base));
    }

    /** Starts a run of the current config into a new run folder; ignored while one runs or when invalid. */
    public void run() {
        if (running.get()) {
            return;
        }
        Optional<CnnQuantConfig> c = config();
        if (c.isEmpty()) {
            status.set("Cannot run: " + error.get());
            return;
        }
        Path dir = runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        running.set(true);
        status.set("Running…");
        Backend b = backend.get();
        handle = tasks.submit("CNN quantization: " + c.get().dataset(), (progress, cancel) ->
                        RunFolder.run(bench, c.get(), dir, b, progress, cancel, MetricsSink.NONE),
                outcome -> {
                    running.set(false);
                    result.set(outcome.result());
                    CnnQuantResult.MethodRow fp = outcome.result().methods().get(0);
                    status.set(String.format(Locale.ROOT, "%d methods, FP32 %.2f%%; files in %s",
                            outcome.result().methods().size(), fp.meanAccuracy(), outcome.dir()));
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

    /** Shows a result (a finished run; tests). */
    public void showResult(CnnQuantResult r) {
        result.set(r);
    }

    private void onResult(CnnQuantResult r) {
        if (r == null) {
            methods.clear();
            layerErrors.clear();
            return;
        }
        methods.setAll(r.methods());
        List<String> em = errorMethods();
        if (!em.contains(errorMethod.get())) {
            errorMethod.set(em.contains("W4A4 synthetic") ? "W4A4 synthetic" : em.isEmpty() ? "" : em.get(0));
        }
        refreshLayerErrors();
        int layer = -1;
        for (int l = 0; l < r.qcnn().layers().size(); l++) {
            if (r.qcnn().layers().get(l) != null) {
                layer = l;
            }
        }
        codebookLayer.set(layer);
        codebookSubspace.set(0);
        if (r.model() != null) {
            model.set(r.model());
            modelMessage.set("Model of the last run: " + describe(r.model()));
        }
    }

    private void refreshLayerErrors() {
        CnnQuantResult r = result.get();
        List<LayerError> rows = r == null ? null : r.layerErrors().get(errorMethod.get());
        layerErrors.setAll(rows == null ? List.of() : rows);
    }

    /** Mean accuracy of each bit pair per calibration set: {@code set -> (pair -> percent)}. */
    public Map<String, Map<String, Double>> accuracyByBits() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (CnnQuantResult.MethodRow m : methods) {
            String[] parts = m.method().split(" ");
            if (parts.length == 2 && parts[0].matches("W\\d+A\\d+")) {
                String pair = parts[0].substring(1).replace('A', '/');
                out.computeIfAbsent(parts[1], k -> new LinkedHashMap<>()).put(pair, m.meanAccuracy());
            }
        }
        return out;
    }

    /** Number of images the browser has for the chosen set. */
    public int calibrationImageCount() {
        CnnQuantResult r = result.get();
        if (r == null || r.calibration() == null) {
            return 0;
        }
        float[] px = r.calibration().images().get(calibrationSet.get());
        return px == null ? 0 : px.length / (r.calibration().height() * r.calibration().width());
    }

    /** Pixels 0..1 of image i of the chosen set, row-major. */
    public float[] calibrationImage(int i) {
        CnnQuantResult.Calibration c = result.get().calibration();
        int hw = c.height() * c.width();
        float[] out = new float[hw];
        System.arraycopy(c.images().get(calibrationSet.get()), i * hw, out, 0, hw);
        return out;
    }

    /** Caption of image i: the class a synthetic image was optimised towards, else "". */
    public String calibrationCaption(int i) {
        CnnQuantResult r = result.get();
        int[] labels = r.calibration().labels().get(calibrationSet.get());
        return labels[i] < 0 ? "" : r.classNames().get(labels[i]);
    }

    /** BN-statistics match of the chosen set: KL and squared error of BN layers 1 and 2, one line. */
    public String calibrationStats() {
        CnnQuantResult r = result.get();
        if (r == null || r.calibration() == null) {
            return "";
        }
        String s = calibrationSet.get();
        double[] kl = r.calibration().bnKl().get(s);
        double[] sq = r.calibration().bnSqError().get(s);
        if (kl == null) {
            return s + ": not in this run (set \"generator\" with steps > 0 in the config)";
        }
        return String.format(Locale.ROOT, "BN KL %.4g / %.4g, squared error %.4g / %.4g (bn1 / bn2); cache key %s",
                kl[0], kl[1], sq[0], sq[1], r.calibration().cacheKeys().get(s));
    }

    /** The PQ layer of the codebook view, if any. */
    public Optional<PqLayer> codebookLayer() {
        CnnQuantResult r = result.get();
        int l = codebookLayer.get();
        return r == null || l < 0 || l >= r.qcnn().layers().size() ? Optional.empty()
                : Optional.ofNullable(r.qcnn().layers().get(l));
    }

    /** The chosen codebook as rows (codewords) of C_s' values. */
    public double[][] codebookGrid() {
        Optional<PqLayer> q = codebookLayer();
        if (q.isEmpty()) {
            return new double[0][0];
        }
        int m = Math.min(codebookSubspace.get(), q.get().subspaces - 1);
        float[] cb = q.get().codebook(m);
        double[][] grid = new double[q.get().codewords][q.get().subDim];
        for (int k = 0; k < grid.length; k++) {
            for (int i = 0; i < grid[k].length; i++) {
                grid[k][i] = cb[k * q.get().subDim + i];
            }
        }
        return grid;
    }

    /** Usage of each codeword of the chosen codebook. */
    public int[] codewordUsage() {
        Optional<PqLayer> q = codebookLayer();
        return q.map(p -> p.codewordUsage(Math.min(codebookSubspace.get(), p.subspaces - 1))).orElse(new int[0]);
    }

    /** Inspector lines: {@code f = scale * (q - zero_point)} with the numbers, conv2 channels and activations. */
    public List<String> inspectorLines() {
        CnnQuantResult r = result.get();
        List<String> lines = new ArrayList<>();
        if (r == null || r.inspector() == null) {
            return lines;
        }
        List<UniformQuantizer> a = r.inspector().activations();
        String[] names = {"conv1", "conv2", "fc1", "fc2"};
        for (int l = 0; l < a.size(); l++) {
            lines.add(names[l] + " input (8 bit, synthetic calibration): " + a.get(l).formula());
        }
        List<UniformQuantizer> w = r.inspector().conv2Weights();
        for (int j = 0; j < Math.min(8, w.size()); j++) {
            lines.add("conv2 weights, channel " + j + " (8 bit): " + w.get(j).formula());
        }
        return lines;
    }

    /**
     * Loads a saved model. It must have the shape of the model in view (or of the configured data set's
     * images when none is); on any problem the message names the file and what was expected, and the
     * previous model stays.
     */
    public boolean loadModel(Path file) {
        SmallCnn current = model.get();
        try {
            SmallCnn m = CnnModelIo.load(file, current == null ? null : current.shape);
            model.set(m);
            modelMessage.set("Loaded " + file.getFileName() + ": " + describe(m));
            return true;
        } catch (IOException e) {
            modelMessage.set("Not loaded: " + e.getMessage()
                    + (current == null ? "" : "; kept the previous model"));
            return false;
        }
    }

    /** Saves the model in view. */
    public boolean saveModel(Path file) {
        SmallCnn m = model.get();
        if (m == null) {
            modelMessage.set("No model to save: run first.");
            return false;
        }
        try {
            CnnModelIo.save(m, file);
            modelMessage.set("Saved " + file);
            return true;
        } catch (IOException e) {
            modelMessage.set("Not saved: " + file + ": " + e.getMessage());
            return false;
        }
    }

    private static String describe(SmallCnn m) {
        var s = m.shape;
        return String.format(Locale.ROOT, "%dx%d input, conv %d/%d, fc %d, %d classes, %d weights", s.height(),
                s.width(), s.c1(), s.c2(), s.hidden(), s.classes(), m.weightCount());
    }

    /** Mean accuracies by method, for workspace summaries. */
    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        for (CnnQuantResult.MethodRow r : methods) {
            m.put("acc_" + r.method().toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "") + "_pct",
                    String.format(Locale.ROOT, "%.2f", r.meanAccuracy()));
        }
        return m;
    }
}
