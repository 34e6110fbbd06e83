package org.mlsysworkbench.views.sampling;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.graph.sampling.FeatureLoader;
import org.mlsysworkbench.algorithms.graph.sampling.PhaseClock;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingConfig;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingResult;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.HeatmapChart;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The sampling bench page (FastGL): sampler, feature-movement and training settings on the left; on the
 * right the epoch time per phase as stacked bars (one per finished run), the batch-overlap heat map (before
 * or after reorder, following the toggle), the throughputs per epoch (sampled edges/s, training seeds/s; one
 * line per run, live during a run), the cache-hit and reuse rates per batch, accuracy and loss live during a
 * run, the degree distribution (log-log) and the sampled computation tree of the first seed.
 */
public final class SamplingPage implements BenchPage {

    private final SamplingViewModel vm;
    private final String benchId;
    private final CategoryBarChart phases;
    private final HeatmapChart overlap;
    private final LiveXYChart reuse;
    private final LiveXYChart edgesRate;
    private final LiveXYChart seedsRate;
    private final LiveXYChart accuracy;
    private final LiveXYChart degrees;
    private final TreeView<String> tree = new TreeView<>();
    private final BorderPane root = new BorderPane();

    public SamplingPage(WorkbenchServices services, BenchDefinition<SamplingConfig, SamplingResult> bench) {
        this.benchId = bench.id();
        this.vm = new SamplingViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        phases = kit.bar("sampling-phases", "Epoch time by phase", "run", "ms per epoch");
        StackedBarRenderer stacked = new StackedBarRenderer();
        stacked.setBarPainter(new StandardBarPainter());
        stacked.setShadowVisible(false);
        CategoryPlot phasePlot = (CategoryPlot) phases.chart().getPlot();
        phasePlot.setRenderer(stacked);
        // run labels name model and strategies: wrap them rather than cut them off
        phasePlot.getDomainAxis().setMaximumCategoryLabelLines(3);
        overlap = kit.heatmap("sampling-overlap", "Batch overlap M[i][j] = |S_i ∩ S_j| / |S_j|", "batch j",
                "batch i", "overlap");
        edgesRate = kit.line("sampling-edges-rate", "Sampling throughput per epoch (live)", "epoch",
                "sampled edges/s");
        seedsRate = kit.line("sampling-seeds-rate", "Training throughput per epoch (live)", "epoch",
                "training seeds/s");
        reuse = kit.line("sampling-reuse", "Cache-hit and reuse rates per batch (last epoch)", "batch",
                "% of the batch's input rows");
        accuracy = kit.line("sampling-accuracy", "Training (live)", "epoch", "accuracy / loss");
        for (LiveXYChart perEpoch : List.of(edgesRate, seedsRate, accuracy)) {
            ((XYPlot) perEpoch.chart().getPlot()).getDomainAxis()
                    .setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        degrees = kit.xy("sampling-degree", "Degree distribution", "in-degree", "nodes");
        degrees.setLogX(true);
        degrees.setLogY(true);
        build();
        vm.heatmapProperty().addListener((o, a, m) -> overlap.setValues(m));
        vm.resultProperty().addListener((o, a, r) -> showResult(r));
        vm.phaseRows().addListener((ListChangeListener<SamplingViewModel.PhaseRow>) c -> updatePhases());
        Timeline drain = new Timeline(new KeyFrame(Duration.millis(100), e -> drainLive()));
        drain.setCycleCount(Timeline.INDEFINITE);
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                drain.play();
            } else {
                drain.stop();
            }
        });
    }

    /** The page factory to register for {@code bench}. */
    public static BenchPageFactory factory(BenchDefinition<SamplingConfig, SamplingResult> bench) {
        return services -> new SamplingPage(services, bench);
    }

    public SamplingViewModel viewModel() {
        return vm;
    }

    /** The overlap heat map (tests). */
    public HeatmapChart overlapChart() {
        return overlap;
    }

    /** The sampled-edges/s chart (tests). */
    public LiveXYChart edgesRateChart() {
        return edgesRate;
    }

    /** The training-seeds/s chart (tests). */
    public LiveXYChart seedsRateChart() {
        return seedsRate;
    }

    /** The accuracy and loss chart (tests). */
    public LiveXYChart accuracyChart() {
        return accuracy;
    }

    /** The phase chart (tests). */
    public CategoryBarChart phaseChart() {
        return phases;
    }

    private void build() {
        root.setId("samplingPage");
        Label title = new Label("Graph sampling (FastGL)");
        title.getStyleClass().add(Styles.TITLE_3);
        Label what = new Label("Uniform neighbour sampling without replacement (DGL semantics), fused or "
                + "sort-unique ID mapping, features from static cache / previous batch / host, GraphSAGE (mean) or "
                + "GCN (block-local degrees, self-loops). "
                + "Fanouts are listed leaf → root: the last number is the seeds' fanout.");
        what.setWrapText(true);
        what.getStyleClass().add("muted");

        ComboBox<String> dataset = combo("dataset", List.of("sbm", "rmat", "tsv", "planetoid", "npz", "edgelist"),
                vm.datasetProperty());
        GridPane form = new GridPane();
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        form.getColumnConstraints().add(labels);
        form.setHgap(8);
        form.setVgap(8);
        int row = 0;
        form.addRow(row++, new Label("Dataset"), dataset);
        form.addRow(row++, new Label("Data path"), field("dataPath", vm.dataPathProperty()));
        form.addRow(row++, new Label("Dataset name"), field("datasetName", vm.datasetNameProperty()));
        form.addRow(row++, new Label("Fanouts (leaf → root)"), field("fanouts", vm.fanoutsProperty()));
        form.addRow(row++, new Label("Batch size"), field("batchSize", vm.batchSizeProperty()));
        form.addRow(row++, new Label("Seed order"), combo("seedOrder", List.of("random", "clustered"),
                vm.seedOrderProperty()));
        form.addRow(row++, new Label("ID mapping"), combo("idMapping", List.of("fused", "baseline"),
                vm.idMappingProperty()));
        form.addRow(row++, new Label("Aggregation"), combo("aggregation", List.of("memory-aware", "naive"),
                vm.aggregationProperty()));
        Slider cache = new Slider(0, 1, vm.cacheRatioProperty().get());
        cache.setId("cacheRatio");
        cache.setShowTickLabels(true);
        cache.setMajorTickUnit(0.25);
        cache.valueProperty().bindBidirectional(vm.cacheRatioProperty());
        form.addRow(row++, new Label("Static cache ratio"), cache);
        form.addRow(row++, new Label("Match"), check("match", vm.matchProperty()));
        form.addRow(row++, new Label("Reorder"), check("reorder", vm.reorderProperty()));
        form.addRow(row++, new Label("Train"), check("train", vm.trainProperty()));
        form.addRow(row++, new Label("Model"), combo("model", List.of("sage", "gcn"), vm.modelProperty()));
        ComboBox<String> norm = combo("gcnNorm", List.of("both", "right"), vm.gcnNormProperty());
        norm.disableProperty().bind(vm.modelProperty().isNotEqualTo("gcn"));
        form.addRow(row++, new Label("GCN norm"), norm);
        form.addRow(row++, new Label("Epochs"), field("epochs", vm.epochsProperty()));
        form.addRow(row, new Label("Seed"), field("seed", vm.seedProperty()));

        Label error = new Label();
        error.setId("configError");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Button run = new Button("Run");
        run.setId("samplingRun");
        run.getStyleClass().add(Styles.ACCENT);
        run.disableProperty().bind(vm.runningProperty().or(vm.errorProperty().isNotEmpty()));
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("samplingCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("samplingStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        Label bytes = new Label();
        bytes.setId("bytesMoved");
        bytes.setWrapText(true);
        bytes.textProperty().bind(vm.bytesTextProperty());
        VBox left = new VBox(10, title, what, form, error, new HBox(8, run, cancel), status, bytes);
        left.setPrefWidth(350);
        left.getStyleClass().add("page");
        left.setPadding(new Insets(8));

        tree.setId("computationTree");
        tree.setShowRoot(true);
        tree.setPrefHeight(280);
        GridPane charts = new GridPane();
        charts.setId("samplingCharts");
        charts.setHgap(8);
        charts.setVgap(8);
        charts.add(sized(phases.node()), 0, 0);
        charts.add(sized(overlap.node()), 1, 0);
        charts.add(sized(edgesRate.node()), 0, 1);
        charts.add(sized(seedsRate.node()), 1, 1);
        charts.add(sized(accuracy.node()), 0, 2);
        charts.add(sized(reuse.node()), 1, 2);
        charts.add(sized(degrees.node()), 0, 3);
        VBox treeBox = new VBox(4, new Label("Sampled computation tree of the first seed (global ids)"), tree);
        charts.add(treeBox, 1, 3);
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(300);
        ScrollPane right = new ScrollPane(charts);
        right.setFitToWidth(true);
        root.setLeft(leftScroll);
        root.setCenter(right);
    }

    private static Node sized(Node n) {
        if (n instanceof Region r) {
            r.setPrefSize(460, 300);
            r.setMinSize(320, 220);
        }
        GridPane.setHgrow(n, Priority.ALWAYS);
        return n;
    }

    private static TextField field(String id, javafx.beans.property.StringProperty p) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(p);
        f.setPrefColumnCount(14);
        return f;
    }

    private static CheckBox check(String id, javafx.beans.property.BooleanProperty p) {
        CheckBox c = new CheckBox();
        c.setId(id);
        c.selectedProperty().bindBidirectional(p);
        return c;
    }

    private static ComboBox<String> combo(String id, List<String> items, javafx.beans.property.StringProperty p) {
        ComboBox<String> c = new ComboBox<>();
        c.setId(id);
        c.getItems().setAll(items);
        c.valueProperty().bindBidirectional(p);
        return c;
    }

    private void drainLive() {
        vm.drainLive(p -> {
            switch (p.series()) {
                case "val_acc", "test_acc", "train_loss" -> accuracy.append(p.series(), p.step(), p.value());
                case "sampled_edges_per_s" -> edgesRate.append(p.run(), p.step(), p.value());
                case "train_seeds_per_s" -> seedsRate.append(p.run(), p.step(), p.value());
                default -> {
                    // other series are shown from the final result
                }
            }
        });
    }

    private void showResult(SamplingResult r) {
        if (r == null) {
            return;
        }
        drainLive();
        reuse.clear();
        List<FeatureLoader.Stats> batches = r.batches();
        for (int t = 0; t < batches.size(); t++) {
            FeatureLoader.Stats b = batches.get(t);
            double perRow = b.rows() == 0 ? 0 : 100.0 / b.rows();
            reuse.append("static-cache hits", t, b.fromCache() * perRow);
            reuse.append("previous-batch hits", t, b.fromPrevious() * perRow);
            reuse.append("host copies", t, b.fromHost() * perRow);
        }
        accuracy.clear();
        for (int e = 0; e < r.trainLoss().length; e++) {
            accuracy.append("train_loss", e, r.trainLoss()[e]);
            accuracy.append("val_acc", e, r.valAccuracy()[e]);
            accuracy.append("test_acc", e, r.testAccuracy()[e]);
        }
        degrees.clear();
        long[] h = r.degreeHistogram();
        for (int d = 1; d < h.length; d++) {
            if (h[d] > 0) {
                degrees.append("nodes", d, h[d]);
            }
        }
        overlap.setValues(vm.heatmapProperty().get());
        tree.setRoot(buildTree(r.tree()));
    }

    private static TreeItem<String> buildTree(List<int[]> edges) {
        if (edges.isEmpty()) {
            return new TreeItem<>("(no sampled edges)");
        }
        TreeItem<String> root = new TreeItem<>("seed " + edges.get(0)[1]);
        root.setExpanded(true);
        // hop h's parents are the children of hop h - 1, in order
        Map<Integer, List<TreeItem<String>>> byHop = new HashMap<>();
        byHop.put(-1, List.of(root));
        Map<Integer, Integer> cursor = new HashMap<>();
        Map<Integer, List<Integer>> parentIds = new HashMap<>();
        parentIds.put(-1, List.of(edges.get(0)[1]));
        for (int[] e : edges) {
            int hop = e[0];
            List<TreeItem<String>> parents = byHop.get(hop - 1);
            List<Integer> ids = parentIds.get(hop - 1);
            int i = cursor.getOrDefault(hop, 0);
            while (i < ids.size() - 1 && ids.get(i).intValue() != e[1]) {
                i++;
            }
            cursor.put(hop, i);
            TreeItem<String> child = new TreeItem<>("hop " + (hop + 1) + ": node " + e[2]);
            parents.get(Math.min(i, parents.size() - 1)).getChildren().add(child);
            byHop.computeIfAbsent(hop, k -> new ArrayList<>()).add(child);
            parentIds.computeIfAbsent(hop, k -> new ArrayList<>()).add(e[2]);
        }
        return root;
    }

    /** Redraws the per-configuration charts from the finished runs (replacing their live points). */
    private void updatePhases() {
        phases.clear();
        edgesRate.clear();
        seedsRate.clear();
        for (SamplingViewModel.PhaseRow row : vm.phaseRows()) {
            for (PhaseClock.Phase p : PhaseClock.Phase.values()) {
                phases.set(p.key(), row.label(), row.phaseMs()[p.ordinal()]);
            }
            for (int e = 0; e < row.sampledEdgesPerS().length; e++) {
                edgesRate.append(row.label(), e, row.sampledEdgesPerS()[e]);
                seedsRate.append(row.label(), e, row.trainSeedsPerS()[e]);
            }
        }
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
    public List<ExportableChart> charts() {
        return List.of(phases, overlap, edgesRate, seedsRate, reuse, accuracy, degrees);
    }
}
