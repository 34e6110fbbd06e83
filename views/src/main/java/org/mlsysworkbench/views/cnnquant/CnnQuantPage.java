package org.mlsysworkbench.views.cnnquant;

import atlantafx.base.theme.Styles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.geometry.Orientation;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantConfig;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantResult;
import org.mlsysworkbench.algorithms.cnnquant.CnnShape;
import org.mlsysworkbench.algorithms.cnnquant.LayerError;
import org.mlsysworkbench.algorithms.cnnquant.LutCostModel;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.HeatmapChart;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The CNN-quantization page: config and model file on the left; tabs for accuracy (by method and by bits, with
 * the table), per-layer error (table and SQNR heat map), the calibration-set browser (real, BN-synthesised directly,
 * generator-synthesised and noise images with their BN-statistics match and the synthesis curves), Q-CNN codebooks with the cost model,
 * and the inspector (scale and zero point with the formula; BWN vs BWNH).
 */
public final class CnnQuantPage implements BenchPage {

    private static final int THUMB = 56;

    private final CnnQuantViewModel vm;
    private final String benchId;
    private final BorderPane root = new BorderPane();
    private final CategoryBarChart byMethod;
    private final CategoryBarChart byBits;
    private final HeatmapChart sqnrMap;
    private final LiveXYChart synthesis;
    private final HeatmapChart codebookMap;
    private final CategoryBarChart usage;
    private final LiveXYChart alphas;
    private final TilePane gallery = new TilePane(6, 6);
    private final Label calibrationStats = new Label();
    private final ChoiceBox<String> errorMethod = new ChoiceBox<>();
    private final ChoiceBox<String> codebookLayer = new ChoiceBox<>();
    private final ListView<String> inspector = new ListView<>();
    private final Label binaryText = new Label();
    private final TableView<LutCostModel.LayerCost> costs = new TableView<>();

    public CnnQuantPage(WorkbenchServices services, BenchDefinition<CnnQuantConfig, CnnQuantResult> bench) {
        this.benchId = bench.id();
        this.vm = new CnnQuantViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        byMethod = kit.bar("cnnquant-accuracy-by-method", "Test accuracy by method (mean of seeds)", "method", "%");
        byBits = kit.bar("cnnquant-accuracy-vs-bits", "Post-training quantization: accuracy vs bits", "W/A bits", "%");
        sqnrMap = kit.heatmap("cnnquant-layer-sqnr", "Per-layer SQNR (own error, dB)", "layer", "method", "dB");
        synthesis = kit.line("cnnquant-synthesis", "BN-statistics synthesis", "iteration", "loss");
        codebookMap = kit.heatmap("cnnquant-codebook", "Q-CNN codebook (codeword x dimension)", "dimension",
                "codeword", "value");
        usage = kit.bar("cnnquant-codeword-usage", "Codeword usage", "codeword", "count");
        alphas = kit.line("cnnquant-alpha", "Per-channel scale alpha: BWN vs BWNH", "output channel", "alpha");
        build();
        vm.resultProperty().addListener((o, a, b) -> showResult(b));
        vm.errorMethodProperty().addListener((o, a, b) -> errorMethod.setValue(b));
        vm.calibrationSetProperty().addListener((o, a, b) -> showGallery());
        vm.codebookLayerProperty().addListener((o, a, b) -> showCodebook());
        vm.codebookSubspaceProperty().addListener((o, a, b) -> showCodebook());
    }

    /** The page factory to register for {@code bench}. */
    public static BenchPageFactory factory(BenchDefinition<CnnQuantConfig, CnnQuantResult> bench) {
        return services -> new CnnQuantPage(services, bench);
    }

    public CnnQuantViewModel viewModel() {
        return vm;
    }

    private void build() {
        root.setId("cnnquantPage");
        Label title = new Label("CNN quantization");
        title.getStyleClass().add(Styles.TITLE_3);
        Label what = new Label("Train a small BatchNorm CNN, then binary weights (BWN, BWNH), post-training "
                + "quantization calibrated on real, BN-synthesised (direct or by a trained generator) and noise images, and Q-CNN product quantization.");
        what.setWrapText(true);
        what.getStyleClass().add("muted");

        ChoiceBox<String> dataset = new ChoiceBox<>(FXCollections.observableArrayList("digits", "mnist",
                "fashion-mnist", "procedural"));
        dataset.setId("dataset");
        dataset.valueProperty().bindBidirectional(vm.datasetProperty());
        ChoiceBox<String> calibrator = new ChoiceBox<>(FXCollections.observableArrayList("minmax", "percentile"));
        calibrator.setId("calibrator");
        calibrator.valueProperty().bindBidirectional(vm.calibratorProperty());
        Spinner<Integer> seeds = spinner("seeds", 1, 5, vm.seedsProperty());
        Spinner<Integer> epochs = spinner("epochs", 1, 200, vm.epochsProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Data set"), dataset);
        form.addRow(1, new Label("Seed"), field("seed", vm.seedProperty()));
        form.addRow(2, new Label("Seeds"), seeds);
        form.addRow(3, new Label("Epochs"), epochs);
        form.addRow(4, new Label("Train images (0 = all)"), field("trainLimit", vm.trainLimitProperty()));
        form.addRow(5, new Label("Calibrator"), calibrator);
        form.addRow(6, new Label("W/A bit pairs"), field("bitPairs", vm.bitPairsProperty()));

        Label error = new Label();
        error.setId("configError");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Button run = new Button("Run");
        run.setId("cnnquantRun");
        run.getStyleClass().add(Styles.ACCENT);
        run.disableProperty().bind(vm.runningProperty().or(vm.errorProperty().isNotEmpty()));
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("cnnquantCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("cnnquantStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());

        TextField modelPath = new TextField();
        modelPath.setId("modelPath");
        modelPath.setPromptText("model file (.cnnq)");
        Button load = new Button("Load model");
        load.setId("loadModel");
        load.setOnAction(e -> vm.loadModel(Path.of(modelPath.getText().trim())));
        Button save = new Button("Save model");
        save.setId("saveModel");
        save.setOnAction(e -> vm.saveModel(Path.of(modelPath.getText().trim())));
        Label modelMessage = new Label();
        modelMessage.setId("modelMessage");
        modelMessage.setWrapText(true);
        modelMessage.textProperty().bind(vm.modelMessageProperty());

        VBox left = new VBox(10, title, what, form, error, new HBox(8, run, cancel), status, new Label("Model"),
                modelPath, new HBox(8, load, save), modelMessage);
        left.setPrefWidth(310);
        left.getStyleClass().add("page");
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(290);

        TabPane tabs = new TabPane(accuracyTab(), errorTab(), calibrationTab(), codebookTab(), inspectorTab());
        tabs.setId("cnnquantTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        root.setLeft(leftScroll);
        root.setCenter(tabs);
    }

    private Tab accuracyTab() {
        TableView<CnnQuantResult.MethodRow> t = new TableView<>(vm.methods());
        t.setId("accuracyTable");
        t.setPlaceholder(new Label("No results yet: press Run (Ctrl+R)."));
        t.getColumns().add(text("Method", CnnQuantResult.MethodRow::method));
        t.getColumns().add(number("Bits / weight", CnnQuantResult.MethodRow::weightBits, "%.2f"));
        t.getColumns().add(number("Bits / activation", r -> (double) r.activationBits(), "%.0f"));
        t.getColumns().add(number("Weights (KiB)", CnnQuantResult.MethodRow::weightKiB, "%.1f"));
        t.getColumns().add(number("Accuracy % (mean)", CnnQuantResult.MethodRow::meanAccuracy, "%.2f"));
        t.getColumns().add(text("Per seed", r -> {
            List<String> s = new ArrayList<>();
            for (double a : r.accuracy()) {
                s.add(String.format(Locale.ROOT, "%.2f", a));
            }
            return String.join(" / ", s);
        }));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        HBox charts = new HBox(8, grow(byMethod.node()), grow(byBits.node()));
        SplitPane split = new SplitPane(charts, t);
        split.setOrientation(Orientation.VERTICAL);
        return new Tab("Accuracy", split);
    }

    private Tab errorTab() {
        errorMethod.setId("errorMethod");
        errorMethod.setOnAction(e -> {
            if (errorMethod.getValue() != null) {
                vm.errorMethodProperty().set(errorMethod.getValue());
            }
        });
        TableView<LayerError> t = new TableView<>(vm.layerErrors());
        t.setId("layerErrorTable");
        t.setPlaceholder(new Label("Per-layer errors appear after a run."));
        t.getColumns().add(text("Layer", LayerError::layer));
        t.getColumns().add(text("Quantized", e -> e.quantized() ? "yes" : "no"));
        t.getColumns().add(number("MSE", LayerError::mse, "%.3g"));
        t.getColumns().add(number("Cosine", LayerError::cosine, "%.5f"));
        t.getColumns().add(number("SQNR dB", LayerError::sqnrDb, "%.2f"));
        t.getColumns().add(number("Accum. MSE", LayerError::accumulatedMse, "%.3g"));
        t.getColumns().add(number("Accum. cosine", LayerError::accumulatedCosine, "%.5f"));
        t.getColumns().add(number("Accum. SQNR dB", LayerError::accumulatedSqnrDb, "%.2f"));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label note = new Label("Own error: the quantized layer fed the float network's input (exactly zero when the "
                + "layer is not quantized). Accumulated: the whole quantized network up to the layer. Probe batch of "
                + "test images.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        VBox top = new VBox(8, new HBox(8, new Label("Method"), errorMethod), note, t);
        VBox.setVgrow(t, Priority.ALWAYS);
        SplitPane split = new SplitPane(top, sqnrMap.node());
        split.setOrientation(Orientation.VERTICAL);
        return new Tab("Per-layer error", split);
    }

    private Tab calibrationTab() {
        ChoiceBox<String> set = new ChoiceBox<>(FXCollections.observableArrayList(CnnQuantViewModel.CALIBRATION_SETS));
        set.setId("calibrationSet");
        set.valueProperty().bindBidirectional(vm.calibrationSetProperty());
        gallery.setId("calibrationGallery");
        gallery.setPrefColumns(10);
        calibrationStats.setId("calibrationStats");
        calibrationStats.setWrapText(true);
        ScrollPane scroll = new ScrollPane(gallery);
        scroll.setFitToWidth(true);
        VBox top = new VBox(8, new HBox(8, new Label("Calibration set"), set), calibrationStats, scroll);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        SplitPane split = new SplitPane(top, synthesis.node());
        split.setOrientation(Orientation.VERTICAL);
        return new Tab("Calibration sets", split);
    }

    private Tab codebookTab() {
        codebookLayer.setId("codebookLayer");
        codebookLayer.setOnAction(e -> {
            String v = codebookLayer.getValue();
            if (v != null) {
                vm.codebookLayerProperty().set(List.of(CnnShape.LAYER_NAMES).indexOf(v));
            }
        });
        Spinner<Integer> subspace = spinner("codebookSubspace", 0, 4095, vm.codebookSubspaceProperty());
        costs.setId("costTable");
        costs.getColumns().add(text("Layer", LutCostModel.LayerCost::layer));
        costs.getColumns().add(number("Dense ops", c -> (double) c.denseOps(), "%.0f"));
        costs.getColumns().add(number("Look-up ops", c -> (double) c.lutOps(), "%.0f"));
        costs.getColumns().add(number("Op-count speed-up", LutCostModel.LayerCost::speedup, "%.2fx"));
        costs.getColumns().add(number("Compression", LutCostModel.LayerCost::compression, "%.2fx"));
        costs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        costs.setPrefHeight(150);
        HBox charts = new HBox(8, grow(codebookMap.node()), grow(usage.node()));
        VBox box = new VBox(8, new HBox(8, new Label("Layer"), codebookLayer, new Label("Subspace"), subspace), charts,
                costs);
        VBox.setVgrow(charts, Priority.ALWAYS);
        return new Tab("Q-CNN codebooks", box);
    }

    private Tab inspectorTab() {
        inspector.setId("inspector");
        binaryText.setId("binaryText");
        binaryText.setWrapText(true);
        SplitPane split = new SplitPane(new VBox(8, new Label("Scale and zero point: f = scale * (q - zero_point)"),
                inspector, binaryText), alphas.node());
        split.setOrientation(Orientation.VERTICAL);
        return new Tab("Inspector", split);
    }

    private static Node grow(Node n) {
        HBox.setHgrow(n, Priority.ALWAYS);
        if (n instanceof javafx.scene.layout.Region r) {
            r.setPrefSize(420, 300);
        }
        return n;
    }

    private static TextField field(String id, javafx.beans.property.StringProperty property) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(property);
        f.setPrefColumnCount(12);
        return f;
    }

    private static Spinner<Integer> spinner(String id, int min, int max, javafx.beans.property.IntegerProperty p) {
        Spinner<Integer> s = new Spinner<>(min, max, Math.max(min, Math.min(max, p.get())));
        s.setId(id);
        s.setEditable(true);
        s.valueProperty().addListener((o, a, b) -> p.set(b));
        p.addListener((o, a, b) -> s.getValueFactory().setValue(b.intValue()));
        return s;
    }

    private void showResult(CnnQuantResult r) {
        byMethod.clear();
        byBits.clear();
        synthesis.clear();
        alphas.clear();
        if (r == null) {
            return;
        }
        for (CnnQuantResult.MethodRow m : r.methods()) {
            if (!m.method().matches("W\\d+A\\d+ .*") || m.method().startsWith("W8A8")) {
                byMethod.set("accuracy", m.method(), m.meanAccuracy());
            }
        }
        for (Map.Entry<String, Map<String, Double>> e : vm.accuracyByBits().entrySet()) {
            for (Map.Entry<String, Double> p : e.getValue().entrySet()) {
                byBits.set(e.getKey(), p.getKey(), p.getValue());
            }
        }
        errorMethod.getItems().setAll(vm.errorMethods());
        errorMethod.setValue(vm.errorMethodProperty().get());
        List<String> methodsWithErrors = vm.errorMethods();
        double[][] z = new double[methodsWithErrors.size()][CnnShape.LAYERS];
        for (int i = 0; i < z.length; i++) {
            List<LayerError> rows = r.layerErrors().get(methodsWithErrors.get(i));
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                double s = rows.get(l).sqnrDb();
                // an unquantized layer has infinite SQNR: shown at the top of the finite scale
                z[i][l] = Double.isInfinite(s) ? Double.NaN : s;
            }
        }
        sqnrMap.setValues(z);
        if (r.calibration() != null) {
            double[] kl = r.calibration().synthKl();
            double[] ce = r.calibration().synthCe();
            for (int i = 0; i < kl.length; i++) {
                synthesis.append("BN KL", i, kl[i]);
                synthesis.append("cross-entropy", i, ce[i]);
            }
            // the generator variant's training curves (per step, on its training batch), when it ran
            double[] gkl = r.calibration().generatorKl();
            double[] gce = r.calibration().generatorCe();
            for (int i = 0; i < gkl.length; i++) {
                synthesis.append("generator BN KL", i, gkl[i]);
                synthesis.append("generator cross-entropy", i, gce[i]);
            }
            synthesis.refresh();
        }
        List<String> pqLayers = new ArrayList<>();
        for (int l = 0; l < r.qcnn().layers().size(); l++) {
            if (r.qcnn().layers().get(l) != null) {
                pqLayers.add(CnnShape.LAYER_NAMES[l]);
            }
        }
        codebookLayer.getItems().setAll(pqLayers);
        if (vm.codebookLayerProperty().get() >= 0) {
            codebookLayer.setValue(CnnShape.LAYER_NAMES[vm.codebookLayerProperty().get()]);
        }
        costs.getItems().setAll(r.qcnn().costs());
        inspector.getItems().setAll(vm.inspectorLines());
        StringBuilder sb = new StringBuilder();
        for (CnnQuantResult.BinaryLayerComparison b : r.binary()) {
            double[] h = b.bwnhErrorHistory();
            sb.append(String.format(Locale.ROOT, "%s: BWNH flips %.1f%% of sign(W); inner-product error BWN %.3f, "
                    + "BWNH %.3f -> %.3f over %d sweeps%n", b.layer(), 100 * b.flippedFraction(), b.bwnError(),
                    h.length > 0 ? h[0] : Double.NaN, h.length > 0 ? h[h.length - 1] : Double.NaN, h.length - 1));
            if (b == r.binary().get(r.binary().size() - 1)) {
                for (int j = 0; j < b.bwnAlpha().length; j++) {
                    alphas.append("BWN " + b.layer(), j, b.bwnAlpha()[j]);
                    alphas.append("BWNH " + b.layer(), j, b.bwnhAlpha()[j]);
                }
            }
        }
        alphas.refresh();
        binaryText.setText(sb.toString());
        showGallery();
        showCodebook();
    }

    private void showGallery() {
        gallery.getChildren().clear();
        calibrationStats.setText(vm.calibrationStats());
        CnnQuantResult r = vm.resultProperty().get();
        if (r == null || r.calibration() == null) {
            return;
        }
        int h = r.calibration().height();
        int w = r.calibration().width();
        for (int i = 0; i < vm.calibrationImageCount(); i++) {
            float[] px = vm.calibrationImage(i);
            WritableImage img = new WritableImage(w, h);
            PixelWriter pw = img.getPixelWriter();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = px[y * w + x];
                    pw.setColor(x, y, Color.gray(v));
                }
            }
            ImageView view = new ImageView(img);
            view.setFitWidth(THUMB);
            view.setFitHeight(THUMB);
            view.setSmooth(false);
            Label caption = new Label(vm.calibrationCaption(i));
            caption.getStyleClass().add(Styles.TEXT_SMALL);
            gallery.getChildren().add(new VBox(2, view, caption));
        }
    }

    private void showCodebook() {
        double[][] grid = vm.codebookGrid();
        usage.clear();
        if (grid.length == 0) {
            return;
        }
        codebookMap.setValues(grid);
        int[] u = vm.codewordUsage();
        for (int k = 0; k < u.length; k++) {
            usage.set("usage", Integer.toString(k), u[k]);
        }
    }

    /** Number of thumbnails in the calibration browser (tests). */
    public int galleryCount() {
        return gallery.getChildren().size();
    }

    public CategoryBarChart accuracyByMethodChart() {
        return byMethod;
    }

    public CategoryBarChart accuracyByBitsChart() {
        return byBits;
    }

    private static <R> TableColumn<R, String> text(String name, Function<R, String> f) {
        TableColumn<R, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
        return c;
    }

    private static <R> TableColumn<R, Double> number(String name, Function<R, Double> f, String format) {
        TableColumn<R, Double> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(f.apply(cell.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, format, v));
            }
        });
        return c;
    }

    @Override
    public String benchId() {
        return benchId;
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void run() {
        vm.run();
    }

    @Override
    public void cancel() {
        vm.cancel();
    }

    @Override
    public String configJson() {
        return vm.configJson();
    }

    @Override
    public void loadConfigJson(String json) {
        vm.loadJson(json);
    }

    @Override
    public Map<String, String> resultSummary() {
        return vm.summary();
    }

    @Override
    public List<ExportableChart> charts() {
        return List.of(byMethod, byBits, sqnrMap, synthesis, codebookMap, usage, alphas);
    }
}
