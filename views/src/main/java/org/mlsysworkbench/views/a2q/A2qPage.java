package org.mlsysworkbench.views.a2q;

import atlantafx.base.theme.Styles;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.graph.quant.A2qConfig;
import org.mlsysworkbench.algorithms.graph.quant.A2qResult;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.Forms;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.HistogramChart;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The A2Q page: config on the left (GCN or GIN); on the right the training curve (live), accuracy against average
 * bits for every scheme of each model run, the histogram of learned bits, mean bits per in-degree and their box
 * plot, the graph sample coloured by bits, the scheme table with the bits and compression definitions, the
 * graph-level NNS study (group table), and a node inspector with the quantizer formula.
 */
public final class A2qPage implements BenchPage {

    private final A2qViewModel vm;
    private final String benchId;
    private final LiveXYChart curve;
    private final LiveXYChart accuracyVsBits;
    private final HistogramChart bitsHistogram;
    private final BitsScatterChart bitsByDegree;
    private final BitsBoxPlotChart bitsBox;
    private final BitsGraphView graphView = new BitsGraphView();
    private final ObservableList<double[]> groups = FXCollections.observableArrayList();
    private final Label nnsSummary = new Label("No graph-level study yet.");
    private final ObservableList<A2qResult.SchemeRow> rows = FXCollections.observableArrayList();
    private final BorderPane root = new BorderPane();
    private final TextArea inspector = new TextArea();

    public A2qPage(WorkbenchServices services, BenchDefinition<A2qConfig, A2qResult> bench) {
        this.benchId = bench.id();
        this.vm = new A2qViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        curve = kit.line("a2q-training", "A2Q training (first seed)", "epoch", "value");
        accuracyVsBits = kit.xy("a2q-accuracy-vs-bits", "Accuracy vs average feature bits", "average bits",
                "test accuracy (val-selected)");
        bitsHistogram = kit.histogram("a2q-bits-histogram", "Learned bits per node (A2Q)", "reported bits", 9);
        bitsByDegree = BitsScatterChart.create(kit);
        bitsBox = BitsBoxPlotChart.create(kit);
        // single-scheme points (A2Q, FP32 bits) must show as markers, not only as joined lines
        ((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) ((org.jfree.chart.plot.XYPlot) accuracyVsBits.chart()
                .getPlot()).getRenderer(0)).setDefaultShapesVisible(true);
        build();
        vm.resultProperty().addListener((o, a, r) -> show(r));
    }

    public static BenchPageFactory factory(BenchDefinition<A2qConfig, A2qResult> bench) {
        return services -> new A2qPage(services, bench);
    }

    public A2qViewModel viewModel() {
        return vm;
    }

    private void build() {
        root.setId("a2qPage");
        Label title = new Label("GNN quantization (A2Q)");
        title.getStyleClass().add(Styles.TITLE_3);
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Dataset"), Forms.field("a2qDataset", vm.datasetProperty(),
                "\"sbm\" (generated Cora-like graph) or a Planetoid-format folder, relative to the data folder"));
        form.addRow(1, new Label("Seeds"), Forms.field("a2qSeeds", vm.seedsProperty(), "runs per scheme"));
        form.addRow(2, new Label("Epochs"), Forms.field("a2qEpochs", vm.epochsProperty(), null));
        form.addRow(3, new Label("Target KB"), Forms.field("a2qTargetKb", vm.targetKbProperty(),
                "a_storage: feature memory the penalty pushes toward"));
        form.addRow(4, new Label("a_loss"), Forms.field("a2qALoss", vm.aLossProperty(), null));
        form.addRow(5, new Label("Uniform bits"), Forms.field("a2qUniformBits", vm.uniformBitsProperty(),
                "bitwidths of the uniform baseline, e.g. 2, 4"));
        CheckBox dq = new CheckBox("Degree-Quant INT4/INT8");
        dq.setId("a2qDegreeQuant");
        dq.selectedProperty().bindBidirectional(vm.degreeQuantProperty());
        form.add(dq, 0, 6, 2, 1);
        form.addRow(7, new Label("Seed"), Forms.field("a2qSeed", vm.seedProperty(), null));
        ChoiceBox<String> model = new ChoiceBox<>(FXCollections.observableArrayList("gcn", "gin"));
        model.setId("a2qModel");
        model.valueProperty().bindBidirectional(vm.modelProperty());
        form.addRow(8, new Label("Model"), model);
        CheckBox graphLevel = new CheckBox("Graph-level NNS study (GIN, unseen graphs)");
        graphLevel.setId("a2qGraphLevel");
        graphLevel.selectedProperty().bindBidirectional(vm.graphLevelProperty());
        form.add(graphLevel, 0, 9, 2, 1);
        Label error = new Label();
        error.setId("a2qError");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(vm.errorProperty());
        Label status = new Label();
        status.setId("a2qStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.runner().statusProperty());
        Spinner<Integer> node = new Spinner<>(0, 10_000_000, 0);
        node.setId("a2qNode");
        node.setEditable(true);
        inspector.setId("a2qInspector");
        inspector.setEditable(false);
        inspector.setWrapText(true);
        inspector.setPrefRowCount(6);
        node.valueProperty().addListener((o, a, b) -> inspector.setText(vm.inspect(b)));
        VBox left = new VBox(10, title, Forms.note("Learned per-node step α and bitwidth b for the features entering "
                        + "layer 2 of a GCN or GIN, against FP32, uniform bits and Degree-Quant (weights at 4 bits)."),
                form,
                error, Forms.runButtons("a2q", vm.runner().runningProperty(), vm.errorProperty().isNotEmpty(),
                        this::run, vm::cancel), status, new Label("Inspect node"), node, inspector);
        left.setPrefWidth(320);
        left.getStyleClass().add("page");
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(300);

        GridPane charts = new GridPane();
        charts.setHgap(8);
        charts.setVgap(8);
        place(charts, accuracyVsBits.node(), 0, 0);
        place(charts, curve.node(), 1, 0);
        place(charts, bitsHistogram.node(), 2, 0);
        place(charts, bitsByDegree.node(), 0, 1);
        place(charts, bitsBox.node(), 1, 1);
        place(charts, graphView, 2, 1);
        TableView<A2qResult.SchemeRow> table = new TableView<>(rows);
        table.setId("a2qTable");
        table.setPlaceholder(new Label("No results yet: press Run (Ctrl+R)."));
        table.getColumns().add(Forms.text("Scheme", A2qResult.SchemeRow::name));
        table.getColumns().add(Forms.number("Test acc (val-selected)", A2qResult.SchemeRow::valSelectedAcc, "%.4f"));
        table.getColumns().add(Forms.number("± sd", A2qResult.SchemeRow::valSelectedSd, "%.4f"));
        table.getColumns().add(Forms.number("Best test (paper rule)", A2qResult.SchemeRow::bestTestAcc, "%.4f"));
        table.getColumns().add(Forms.number("Avg bits", A2qResult.SchemeRow::averageBits, "%.3f"));
        table.getColumns().add(Forms.number("32 / bits", A2qResult.SchemeRow::compression, "%.2f×"));
        table.getColumns().add(Forms.number("Total compression", A2qResult.SchemeRow::totalCompression, "%.2f×"));
        table.getColumns().add(Forms.number("Feature KB", A2qResult.SchemeRow::featureKb, "%.1f"));
        table.getColumns().add(Forms.number("Model KB", A2qResult.SchemeRow::modelKb, "%.1f"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox schemes = new VBox(6, table, Forms.note(A2qViewModel.BITS_DEFINITION));
        VBox.setVgrow(table, Priority.ALWAYS);
        TableView<double[]> groupTable = new TableView<>(groups);
        groupTable.setId("a2qGroups");
        groupTable.setPlaceholder(new Label("Tick the graph-level study and run."));
        groupTable.getColumns().add(Forms.number("group k", g -> g[0], "%.0f"));
        groupTable.getColumns().add(Forms.number("|α_k|", g -> g[1], "%.5f"));
        groupTable.getColumns().add(Forms.number("round|b_k| − 1 (bits)", g -> g[2], "%.0f"));
        groupTable.getColumns().add(Forms.number("qmax_k", g -> g[3], "%.4f"));
        groupTable.getColumns().add(Forms.number("unseen nodes assigned (layer 2)", g -> g[4], "%.0f"));
        groupTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        nnsSummary.setId("a2qNnsSummary");
        nnsSummary.setWrapText(true);
        VBox nns = new VBox(6, nnsSummary, groupTable);
        VBox.setVgrow(groupTable, Priority.ALWAYS);
        TabPane bottom = new TabPane(new Tab("Schemes", schemes), new Tab("Graph-level NNS", nns));
        bottom.setId("a2qBottomTabs");
        bottom.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane right = new SplitPane(charts, bottom);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.66);
        root.setLeft(leftScroll);
        root.setCenter(right);
    }

    private static void place(GridPane grid, Node n, int col, int row) {
        if (n instanceof Region r) {
            r.setPrefSize(340, 250);
            r.setMinSize(200, 150);
        }
        GridPane.setHgrow(n, Priority.ALWAYS);
        GridPane.setVgrow(n, Priority.ALWAYS);
        grid.add(n, col, row);
    }

    @Override
    public void run() {
        curve.clear();
        MetricsSink live = (series, step, value) -> {
            switch (series) {
                case "a2q_loss" -> curve.append("loss", step, value);
                case "a2q_val_acc" -> curve.append("val accuracy", step, value);
                case "a2q_avg_bits" -> curve.append("avg bits / 8", step, value / 8);
                default -> { }
            }
        };
        vm.run(live);
    }

    private void show(A2qResult r) {
        if (r == null) {
            return;
        }
        rows.setAll(r.schemes());
        accuracyVsBits.clear();
        // every model run on this page stays on the chart (GCN and GIN side by side)
        for (A2qResult m : vm.resultsByModel().values()) {
            String tag = " (" + m.model().toUpperCase(java.util.Locale.ROOT) + ")";
            for (A2qResult.SchemeRow s : m.schemes()) {
                String family = s.name().startsWith("uniform") ? "uniform" : s.name().startsWith("DQ")
                        ? "Degree-Quant" : s.name();
                if (!"FP32".equals(family)) {
                    accuracyVsBits.append(family + tag, s.averageBits(), s.valSelectedAcc());
                }
            }
            A2qResult.SchemeRow fp32 = m.scheme("FP32");
            if (fp32 != null) {
                accuracyVsBits.append("FP32 level" + tag, 0, fp32.valSelectedAcc());
                accuracyVsBits.append("FP32 level" + tag, 8, fp32.valSelectedAcc());
            }
            for (A2qResult.SweepPoint p : m.sweep()) {
                accuracyVsBits.append("A2Q sweep" + tag, p.averageBits(), p.valSelectedAcc());
            }
        }
        double[] bits = new double[r.nodes()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = r.nodeBits()[i];
        }
        bitsHistogram.setSample("A2Q", bits);
        bitsByDegree.show(r, A2qViewModel.bitsByDegree(r));
        bitsBox.set("A2Q " + r.model().toUpperCase(java.util.Locale.ROOT), A2qViewModel.bitsByDegreeBucket(r));
        graphView.show(r);
        nnsSummary.setText(A2qViewModel.nnsSummary(r));
        groups.clear();
        if (r.graphLevel() != null) {
            var g = r.graphLevel();
            for (int k = 0; k < g.tableAlpha().length; k++) {
                groups.add(new double[] {k, Math.abs(g.tableAlpha()[k]),
                    Math.max(1, Math.round(Math.abs(g.tableBits()[k]))) - 1, g.tableQmax()[k], g.assignments()[k]});
            }
        }
        inspector.setText(vm.inspect(0));
    }

    /** The graph view (tests). */
    BitsGraphView graphView() {
        return graphView;
    }

    /** The per-node scatter (tests). */
    BitsScatterChart bitsScatter() {
        return bitsByDegree;
    }

    /** The box plot (tests). */
    BitsBoxPlotChart bitsBox() {
        return bitsBox;
    }

    /** Group rows of the NNS table (tests). */
    ObservableList<double[]> groups() {
        return groups;
    }

    /** The table rows (tests). */
    public ObservableList<A2qResult.SchemeRow> rows() {
        return rows;
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
        return List.of(curve, accuracyVsBits, bitsHistogram, bitsByDegree, bitsBox);
    }
}
