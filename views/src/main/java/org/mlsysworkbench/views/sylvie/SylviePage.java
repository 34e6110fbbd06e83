package org.mlsysworkbench.views.sylvie;

import atlantafx.base.theme.Styles;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.graph.distributed.EpochStats;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieConfig;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieResult;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.Forms;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The distributed-training page: config on the left; loss curves per variant, bytes per epoch (coded vs
 * FP32), per-worker compute and modelled receive time, modelled epoch time vs link bandwidth, and the
 * partition (part and halo sizes); tables of the variants and of the time study, with the time formula.
 */
public final class SylviePage implements BenchPage {

    private final SylvieViewModel vm;
    private final String benchId;
    private final LiveXYChart loss;
    private final CategoryBarChart bytes;
    private final CategoryBarChart workers;
    private final LiveXYChart bandwidth;
    private final CategoryBarChart partition;
    private final ObservableList<SylvieResult.Variant> variants = FXCollections.observableArrayList();
    private final ObservableList<SylvieResult.ScaleRow> scale = FXCollections.observableArrayList();
    private final Label formula = Forms.note("");
    private final Label partitionInfo = new Label();
    private final BorderPane root = new BorderPane();

    public SylviePage(WorkbenchServices services, BenchDefinition<SylvieConfig, SylvieResult> bench) {
        this.benchId = bench.id();
        this.vm = new SylvieViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        loss = kit.line("sylvie-loss", "Training loss per variant (first seed)", "epoch", "loss");
        bytes = kit.bar("sylvie-bytes", "Boundary bytes per epoch", "variant", "bytes");
        bytes.setLogValues(true);
        workers = kit.bar("sylvie-workers", "Per-worker time, last epoch", "worker", "ms");
        bandwidth = kit.line("sylvie-bandwidth", "Modelled epoch time vs link bandwidth", "link Gb/s (log)",
                "epoch ms");
        bandwidth.setLogX(true);
        partition = kit.bar("sylvie-partition", "Partition: local and halo nodes per worker", "worker", "nodes");
        build();
        vm.resultProperty().addListener((o, a, r) -> show(r));
    }

    public static BenchPageFactory factory(BenchDefinition<SylvieConfig, SylvieResult> bench) {
        return services -> new SylviePage(services, bench);
    }

    public SylvieViewModel viewModel() {
        return vm;
    }

    private void build() {
        root.setId("sylviePage");
        Label title = new Label("Distributed GNN (Sylvie-style)");
        title.getStyleClass().add(Styles.TITLE_3);
        ComboBox<String> partitioner = new ComboBox<>(FXCollections.observableArrayList("lp", "random"));
        partitioner.setId("sylviePartitioner");
        partitioner.valueProperty().bindBidirectional(vm.partitionerProperty());
        ComboBox<String> bits = new ComboBox<>(FXCollections.observableArrayList("1", "2", "4", "8"));
        bits.setId("sylvieBits");
        bits.valueProperty().bindBidirectional(vm.messageBitsProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        int row = 0;
        form.addRow(row++, new Label("Dataset"), Forms.field("sylvieDataset", vm.datasetProperty(),
                "\"sbm\" or a Planetoid-format folder, relative to the data folder"));
        form.addRow(row++, new Label("Workers P"), Forms.field("sylvieParts", vm.partsProperty(), null));
        form.addRow(row++, new Label("Partitioner"), partitioner);
        form.addRow(row++, new Label("Message bits"), bits);
        form.addRow(row++, new Label("Staleness S"), Forms.field("sylvieStaleness", vm.stalenessProperty(),
                "bounds to compare, e.g. 0, 1, 2, 4; FP32 synchronous always runs"));
        form.addRow(row++, new Label("Seeds"), Forms.field("sylvieSeeds", vm.seedsProperty(), null));
        form.addRow(row++, new Label("Epochs"), Forms.field("sylvieEpochs", vm.epochsProperty(), null));
        form.addRow(row++, new Label("Link Gb/s"), Forms.field("sylvieBandwidth", vm.bandwidthProperty(), null));
        form.addRow(row++, new Label("Latency µs"), Forms.field("sylvieLatency", vm.latencyProperty(), null));
        form.addRow(row++, new Label("Time study nodes"), Forms.field("sylvieScaleNodes", vm.scaleNodesProperty(),
                "0 skips the study on a generated graph"));
        form.addRow(row++, new Label("Time study P"), Forms.field("sylvieScaleParts", vm.scalePartsProperty(), null));
        form.addRow(row, new Label("Seed"), Forms.field("sylvieSeed", vm.seedProperty(), null));
        Label error = new Label();
        error.setId("sylvieError");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(vm.errorProperty());
        Label status = new Label();
        status.setId("sylvieStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.runner().statusProperty());
        VBox left = new VBox(10, title, Forms.note(SylvieViewModel.SIMULATED), form, error,
                Forms.runButtons("sylvie", vm.runner().runningProperty(), vm.errorProperty().isNotEmpty(), vm::run,
                        vm::cancel), status, partitionInfo);
        partitionInfo.setWrapText(true);
        left.setPrefWidth(320);
        left.getStyleClass().add("page");
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(300);

        GridPane charts = new GridPane();
        charts.setHgap(8);
        charts.setVgap(8);
        place(charts, loss.node(), 0, 0);
        place(charts, bytes.node(), 1, 0);
        place(charts, partition.node(), 2, 0);
        place(charts, workers.node(), 0, 1);
        place(charts, bandwidth.node(), 1, 1);
        TableView<SylvieResult.Variant> vt = new TableView<>(variants);
        vt.setId("sylvieVariants");
        vt.setPlaceholder(new Label("No results yet: press Run (Ctrl+R)."));
        vt.getColumns().add(Forms.text("Variant", SylvieResult.Variant::name));
        vt.getColumns().add(Forms.number("Test acc (val-selected)", SylvieResult.Variant::accuracy, "%.4f"));
        vt.getColumns().add(Forms.number("± sd", SylvieResult.Variant::accuracySd, "%.4f"));
        vt.getColumns().add(Forms.number("Bytes / epoch", v -> (double) v.bytesPerEpoch(), "%.0f"));
        vt.getColumns().add(Forms.number("FP32 bytes", v -> (double) v.fp32BytesPerEpoch(), "%.0f"));
        vt.getColumns().add(Forms.number("Ratio", SylvieResult.Variant::compression, "%.1f×"));
        vt.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableView<SylvieResult.ScaleRow> st = new TableView<>(scale);
        st.setId("sylvieScale");
        st.setPlaceholder(new Label("Time study: set its nodes and worker counts."));
        st.getColumns().add(Forms.number("P", r -> (double) r.parts(), "%.0f"));
        st.getColumns().add(Forms.number("Edge cut", r -> (double) r.edgeCut(), "%.0f"));
        st.getColumns().add(Forms.number("Bytes ratio", r -> (double) r.fp32BytesPerEpoch() / r.bytesPerEpoch(),
                "%.1f×"));
        st.getColumns().add(Forms.number("FP32 sync ms", SylvieResult.ScaleRow::fp32SyncMs, "%.1f"));
        st.getColumns().add(Forms.number("Coded sync ms", SylvieResult.ScaleRow::codedSyncMs, "%.1f"));
        st.getColumns().add(Forms.number("Coded pipelined ms", SylvieResult.ScaleRow::codedPipelinedMs, "%.1f"));
        st.getColumns().add(Forms.number("Speedup (modelled)", SylvieResult.ScaleRow::speedup, "%.2f×"));
        st.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        javafx.scene.control.TabPane tables = new javafx.scene.control.TabPane(
                new javafx.scene.control.Tab("Variants (accuracy graph)", vt),
                new javafx.scene.control.Tab("Time study (generated graph)", st));
        tables.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox bottom = new VBox(6, tables, formula);
        VBox.setVgrow(tables, Priority.ALWAYS);
        SplitPane right = new SplitPane(charts, bottom);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.66);
        root.setLeft(leftScroll);
        root.setCenter(right);
    }

    private static void place(GridPane grid, Node n, int col, int row) {
        if (n instanceof Region r) {
            r.setPrefSize(330, 250);
            r.setMinSize(200, 150);
        }
        GridPane.setHgrow(n, Priority.ALWAYS);
        GridPane.setVgrow(n, Priority.ALWAYS);
        grid.add(n, col, row);
    }

    private void show(SylvieResult r) {
        if (r == null) {
            return;
        }
        variants.setAll(r.variants());
        scale.setAll(r.scale());
        formula.setText(r.formula());
        loss.clear();
        bytes.clear();
        for (SylvieResult.Variant v : r.variants()) {
            for (int e = 0; e < v.loss().length; e++) {
                loss.append(v.name(), e, v.loss()[e]);
            }
            bytes.set("as sent", v.name(), Math.max(1, v.bytesPerEpoch()));
            bytes.set("same rows in FP32", v.name(), Math.max(1, v.fp32BytesPerEpoch()));
        }
        SylvieResult.Variant last = r.variants().get(r.variants().size() - 1);
        EpochStats e = last.lastEpoch();
        double[] cpu = SylvieViewModel.computeMsPerWorker(e);
        double[] coded = SylvieViewModel.commMsPerWorker(e, false);
        double[] fp32 = SylvieViewModel.commMsPerWorker(e, true);
        workers.clear();
        for (int p = 0; p < cpu.length; p++) {
            String w = "w" + p;
            workers.set("compute (measured)", w, cpu[p]);
            workers.set("receive, " + last.name() + " (modelled)", w, coded[p]);
            workers.set("receive, FP32 (modelled)", w, fp32[p]);
        }
        bandwidth.clear();
        for (SylvieResult.BandwidthPoint b : r.bandwidth()) {
            bandwidth.append("FP32 synchronous", b.gbps(), b.fp32SyncMs());
            bandwidth.append("coded + pipelined", b.gbps(), b.codedPipelinedMs());
        }
        partition.clear();
        int[] sizes = new int[r.partition().parts()];
        for (int a : r.partition().assignment()) {
            sizes[a]++;
        }
        for (int p = 0; p < sizes.length; p++) {
            partition.set("local nodes", "w" + p, sizes[p]);
            partition.set("halo nodes", "w" + p, r.partition().haloSizes()[p]);
        }
        partitionInfo.setText(String.format(java.util.Locale.ROOT,
                "%s, %d nodes: edge cut %d of %d edges (%.1f %%), balance %.3f", r.dataset(), r.nodes(),
                r.partition().edgeCut(), r.partition().edges(),
                100.0 * r.partition().edgeCut() / Math.max(1, r.partition().edges()), r.partition().balance()));
    }

    public ObservableList<SylvieResult.Variant> variants() {
        return variants;
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
        return List.of(loss, bytes, workers, bandwidth, partition);
    }
}
