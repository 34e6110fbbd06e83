package org.mlsysworkbench.views.sylvie;

import atlantafx.base.theme.Styles;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.graph.distributed.EpochStats;
import org.mlsysworkbench.algorithms.graph.distributed.Span;
import org.mlsysworkbench.algorithms.graph.distributed.Timeline;
import org.mlsysworkbench.algorithms.graph.partition.PartitionLayout;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieConfig;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieResult;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.Forms;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.GanttChart;
import org.mlsysworkbench.views.core.charts.GraphChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.LiveXYChart;
import org.mlsysworkbench.views.core.charts.RunColors;

/**
 * The distributed-training page: config on the left; tabs of charts on the right. "Training": loss and
 * validation-accuracy curves per variant, boundary bytes per layer and direction (FP32 vs coded), modelled
 * epoch time vs link bandwidth. "Timeline": per-worker Gantt charts of one epoch, modelled (measured compute
 * beside modelled link time) synchronous FP32 against coded + pipelined on one time axis, and the measured
 * spans of the runs (compute, boundary compute after receipt, stalls, quantize, dequantize). "Partition": a
 * force-directed sample of the graph coloured by part with boundary nodes ringed, part and halo sizes, and
 * per-worker time. Below: tables of the variants and the time study, and the time model (the inspector).
 */
public final class SylviePage implements BenchPage {

    static final String COMPUTE = "compute (measured CPU time)";
    static final String RECEIVE = "receive (modelled link time)";
    static final String M_COMPUTE = "compute: inner rows, or all rows when not pipelined";
    static final String M_BOUNDARY = "compute: boundary rows after receipt";
    static final String M_WAIT = "wait for messages (stall)";
    static final String M_SEND = "link: quantize + pack";
    static final String M_RECEIVE = "link: dequantize";

    static final String LOCAL = "local nodes";
    static final String HALO = "halo nodes";
    static final String W_COMPUTE = "compute (measured)";
    static final String W_CODED = "receive, coded messages (modelled)";
    static final String W_FP32 = "receive, FP32 messages (modelled)";
    static final String FP32_BYTES = "FP32 messages";
    static final String CODED_BYTES = "coded messages incl. bf16 min/range per row";
    static final String BW_SYNC = "FP32 synchronous";
    static final String BW_PIPED = "coded + pipelined";

    private final RunColors colors;
    private final SylvieViewModel vm;
    private final String benchId;
    private final LiveXYChart loss;
    private final LiveXYChart accuracy;
    private final CategoryBarChart bytes;
    private final CategoryBarChart workers;
    private final LiveXYChart bandwidth;
    private final CategoryBarChart partition;
    private final GanttChart ganttSync;
    private final GanttChart ganttPiped;
    private final GanttChart measuredSync;
    private final GanttChart measuredPiped;
    private final GraphChart graph;
    private final ObservableList<SylvieResult.Variant> variants = FXCollections.observableArrayList();
    private final ObservableList<SylvieResult.ScaleRow> scale = FXCollections.observableArrayList();
    private final Label formula = Forms.note("");
    private final Label timelineNote = Forms.note("");
    private final Label partitionInfo = new Label();
    private final BorderPane root = new BorderPane();

    public SylviePage(WorkbenchServices services, BenchDefinition<SylvieConfig, SylvieResult> bench) {
        this.benchId = bench.id();
        this.vm = new SylvieViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        loss = kit.line("sylvie-loss", "Training loss per variant (first seed)", "epoch", "loss");
        accuracy = kit.line("sylvie-accuracy", "Validation accuracy per variant (first seed)", "epoch",
                "accuracy");
        bytes = kit.bar("sylvie-bytes", "Boundary bytes per layer, one epoch", "direction, layer exchanged",
                "bytes");
        bytes.setLogValues(true);
        workers = kit.bar("sylvie-workers", "Per-worker time, last epoch", "worker", "ms");
        bandwidth = kit.line("sylvie-bandwidth", "Modelled epoch time vs link bandwidth", "link Gb/s (log)",
                "epoch ms");
        bandwidth.setLogX(true);
        partition = kit.bar("sylvie-partition", "Local and halo nodes per worker", "worker", "nodes");
        ganttSync = kit.gantt("sylvie-gantt-sync", "FP32, synchronous (modelled)", "worker", "ms");
        ganttPiped = kit.gantt("sylvie-gantt-pipelined", "Coded, pipelined (modelled)", "worker", "ms");
        measuredSync = kit.gantt("sylvie-spans-sync", "Measured spans: FP32 sync run", "worker", "ms");
        measuredPiped = kit.gantt("sylvie-spans-pipelined", "Measured spans: coded pipelined run", "worker",
                "ms");
        graph = kit.graph("sylvie-graph", "Partition (sample, force layout)");
        colors = kit.colors();
        // series of this page keep distinct palette slots (name hashes can collide)
        String[][] pinned = {{LOCAL, HALO}, {W_COMPUTE, W_CODED, W_FP32}, {FP32_BYTES, CODED_BYTES},
            {BW_SYNC, BW_PIPED}};
        for (String[] group : pinned) {
            for (int i = 0; i < group.length; i++) {
                colors.override(group[i], i);
            }
        }
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
        CheckBox lossRise = new CheckBox("Sync epoch after a loss rise");
        lossRise.setId("sylvieLossRise");
        lossRise.selectedProperty().bindBidirectional(vm.lossRiseFallbackProperty());
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
                "bounds to compare, e.g. 0, 1, 2, 4; coded variants are pipelined; FP32 synchronous always runs"));
        form.addRow(row++, new Label("Warm-up epochs"), Forms.field("sylvieWarmup", vm.warmupEpochsProperty(),
                "Bounded Staleness Adaptor: synchronous epochs before S applies"));
        form.add(lossRise, 1, row++);
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
        Label simulated = Forms.note(SylvieViewModel.SIMULATED);
        simulated.setId("sylvieSimulated");
        VBox left = new VBox(10, title, simulated, form, error,
                Forms.runButtons("sylvie", vm.runner().runningProperty(), vm.errorProperty().isNotEmpty(), vm::run,
                        vm::cancel), status, partitionInfo);
        partitionInfo.setWrapText(true);
        left.setPrefWidth(320);
        left.getStyleClass().add("page");
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(300);

        GridPane training = grid();
        place(training, loss.node(), 0, 0);
        place(training, accuracy.node(), 1, 0);
        place(training, bytes.node(), 0, 1);
        place(training, bandwidth.node(), 1, 1);
        timelineNote.setId("sylvieTimelineNote");
        GridPane timeline = grid();
        place(timeline, ganttSync.node(), 0, 0);
        place(timeline, ganttPiped.node(), 0, 1);
        place(timeline, measuredSync.node(), 1, 0);
        place(timeline, measuredPiped.node(), 1, 1);
        VBox timelineBox = new VBox(4, timelineNote, timeline);
        VBox.setVgrow(timeline, Priority.ALWAYS);
        GridPane parts = grid();
        place(parts, graph.node(), 0, 0);
        GridPane.setRowSpan(graph.node(), 2);
        place(parts, partition.node(), 1, 0);
        place(parts, workers.node(), 1, 1);
        TabPane chartTabs = new TabPane(new Tab("Training", training), new Tab("Timeline", timelineBox),
                new Tab("Partition", parts));
        chartTabs.setId("sylvieChartTabs");
        chartTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        TableView<SylvieResult.Variant> vt = new TableView<>(variants);
        vt.setId("sylvieVariants");
        vt.setPlaceholder(new Label("No results yet: press Run (Ctrl+R)."));
        vt.getColumns().add(Forms.text("Variant", SylvieResult.Variant::name));
        vt.getColumns().add(Forms.text("Pipelined", v -> v.pipelined() ? "yes" : "no"));
        vt.getColumns().add(Forms.number("Test acc (val-selected)", SylvieResult.Variant::accuracy, "%.4f"));
        vt.getColumns().add(Forms.number("± sd", SylvieResult.Variant::accuracySd, "%.4f"));
        vt.getColumns().add(Forms.number("Bytes / epoch", v -> (double) v.bytesPerEpoch(), "%.0f"));
        vt.getColumns().add(Forms.number("FP32 bytes", v -> (double) v.fp32BytesPerEpoch(), "%.0f"));
        vt.getColumns().add(Forms.number("Ratio", SylvieResult.Variant::compression, "%.1f×"));
        vt.getColumns().add(Forms.number("Stalls, last epoch (measured)", v -> (double) v.lastEpoch().stalls(),
                "%.0f"));
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
        formula.setId("sylvieFormula");
        ScrollPane inspector = new ScrollPane(formula);
        inspector.setFitToWidth(true);
        TabPane tables = new TabPane(new Tab("Variants (accuracy graph)", vt),
                new Tab("Time study (generated graph)", st), new Tab("Inspector: time model", inspector));
        tables.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane right = new SplitPane(chartTabs, tables);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.7);
        root.setLeft(leftScroll);
        root.setCenter(right);
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        return g;
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
        accuracy.clear();
        for (int i = 0; i < r.variants().size(); i++) {
            colors.override(r.variants().get(i).name(), i);
        }
        for (SylvieResult.Variant v : r.variants()) {
            for (int e = 0; e < v.loss().length; e++) {
                loss.append(v.name(), e, v.loss()[e]);
                accuracy.append(v.name(), e, v.valAcc()[e]);
            }
        }
        SylvieResult.Variant last = r.variants().get(r.variants().size() - 1);
        EpochStats coded = last.lastEpoch();
        bytes.clear();
        long most = 1;
        long least = Long.MAX_VALUE;
        for (int dir = 0; dir < 2; dir++) {
            long[] sent = dir == 0 ? coded.fwdBytes() : coded.bwdBytes();
            long[] fp32 = dir == 0 ? coded.fwdBytesFp32() : coded.bwdBytesFp32();
            for (int l = 1; l < sent.length; l++) {
                String cat = (dir == 0 ? "fwd h" : "bwd dh") + l;
                bytes.set(FP32_BYTES, cat, Math.max(1, fp32[l]));
                bytes.set(CODED_BYTES, cat, Math.max(1, sent[l]));
                most = Math.max(most, fp32[l]);
                least = Math.min(least, Math.max(1, sent[l]));
            }
        }
        if (least <= most) {
            bytes.chart().getCategoryPlot().getRangeAxis().setRange(least / 4.0, most * 2.0);
        }
        double[] cpu = SylvieViewModel.computeMsPerWorker(coded);
        double[] codedMs = SylvieViewModel.commMsPerWorker(coded, false);
        double[] fp32Ms = SylvieViewModel.commMsPerWorker(coded, true);
        workers.clear();
        for (int p = 0; p < cpu.length; p++) {
            String w = "w" + p;
            workers.set(W_COMPUTE, w, cpu[p]);
            workers.set(W_CODED, w, codedMs[p]);
            workers.set(W_FP32, w, fp32Ms[p]);
        }
        bandwidth.clear();
        for (SylvieResult.BandwidthPoint b : r.bandwidth()) {
            bandwidth.append(BW_SYNC, b.gbps(), b.fp32SyncMs());
            bandwidth.append(BW_PIPED, b.gbps(), b.codedPipelinedMs());
        }
        showTimelines(r);
        partition.clear();
        int[] sizes = new int[r.partition().parts()];
        for (int a : r.partition().assignment()) {
            sizes[a]++;
        }
        for (int p = 0; p < sizes.length; p++) {
            partition.set(LOCAL, "w" + p, sizes[p]);
            partition.set(HALO, "w" + p, r.partition().haloSizes()[p]);
        }
        PartitionLayout lay = r.layout();
        String[] names = new String[r.partition().parts()];
        for (int p = 0; p < names.length; p++) {
            names[p] = "part " + p;
        }
        graph.setGraph(lay.nodes(), lay.x(), lay.y(), lay.part(), lay.boundary(), lay.edgeA(), lay.edgeB(), names,
                "boundary node");
        graph.chart().setTitle(String.format(java.util.Locale.ROOT, "Partition: %d of %d nodes, %d edges drawn (clustered force layout)",
                lay.nodes().length, r.nodes(), lay.edgeA().length));
        partitionInfo.setText(String.format(java.util.Locale.ROOT,
                "%s, %d nodes: edge cut %d of %d edges (%.1f %%), balance %.3f", r.dataset(), r.nodes(),
                r.partition().edgeCut(), r.partition().edges(),
                100.0 * r.partition().edgeCut() / Math.max(1, r.partition().edges()), r.partition().balance()));
    }

    private void showTimelines(SylvieResult r) {
        EpochStats e = SylvieViewModel.timelineEpoch(r);
        SylvieResult.Variant last = r.variants().get(r.variants().size() - 1);
        List<String> lanes = new java.util.ArrayList<>();
        for (int p = 0; p < e.workers(); p++) {
            lanes.add("w" + p);
        }
        List<Timeline.Bar> sync = Timeline.modelled(e, false, true);
        List<Timeline.Bar> piped = Timeline.modelled(e, true, false);
        double span = Math.max(Timeline.length(sync), Timeline.length(piped));
        for (GanttChart g : List.of(ganttSync, ganttPiped)) {
            g.setup(List.of(COMPUTE, RECEIVE), lanes);
            g.setTimeRange(span * 1.02);
        }
        fill(ganttSync, sync, 0);
        fill(ganttPiped, piped, e.staleness());
        String where = r.scaleEpoch() != null ? "time study, P = " + e.workers() + " on the generated graph"
                : r.dataset() + ", " + last.name();
        ganttSync.chart().setTitle(String.format(java.util.Locale.ROOT,
                "FP32, synchronous (S = 0), no pipelining: %.1f ms (modelled)", Timeline.length(sync)));
        ganttPiped.chart().setTitle(String.format(java.util.Locale.ROOT,
                "%d-bit, pipelined, staleness S = %d: %.1f ms (modelled)", last.bits(), e.staleness(), Timeline.length(piped)));
        timelineNote.setText("Modelled timelines (left): one epoch of the " + where + "; bars = measured compute "
                + "per worker and layer (thread CPU time) and modelled receive time of its messages. Right: spans "
                + "measured in this process (wall clock; the link threads share this machine's cores).");
        SylvieResult.Variant fp32 = r.variants().get(0);
        fillMeasured(measuredSync, fp32.lastEpoch(), "Measured spans: " + fp32.name() + " run");
        fillMeasured(measuredPiped, last.lastEpoch(), "Measured spans: " + last.name() + " run (pipelined)");
        double measuredSpan = Math.max(end(fp32.lastEpoch()), end(last.lastEpoch()));
        measuredSync.setTimeRange(measuredSpan * 1.02);
        measuredPiped.setTimeRange(measuredSpan * 1.02);
    }

    private static double end(EpochStats e) {
        return e.spans().stream().mapToDouble(Span::endMs).max().orElse(0);
    }

    /** Each bar's CSV label names its phase and the staleness of the halo data it used ("fwd L1, S=1"). */
    private static void fill(GanttChart g, List<Timeline.Bar> bars, int staleness) {
        double total = Timeline.length(bars);
        for (Timeline.Bar b : bars) {
            String phase = SylvieViewModel.phase(b.direction(), b.layer());
            g.add(b.communication() ? RECEIVE : COMPUTE, b.worker(), b.communication() ? 1 : 0, 2, b.startMs(),
                    b.endMs(), phase + ", S=" + staleness);
            // written on bars wide enough: the phase, and the age of the halo data it used where one was used
            boolean usesHalo = b.direction() == 1 ? b.layer() + 1 < layersOf(bars) : b.layer() > 0;
            if (!b.communication() && b.endMs() - b.startMs() > 0.15 * total) {
                g.addText(b.worker(), 0, 2, (b.startMs() + b.endMs()) / 2,
                        phase + (usesHalo ? " S=" + staleness : ""));
            }
        }
    }

    private static int layersOf(List<Timeline.Bar> bars) {
        return bars.stream().mapToInt(Timeline.Bar::layer).max().orElse(0) + 1;
    }

    private static void fillMeasured(GanttChart g, EpochStats e, String title) {
        List<String> lanes = new java.util.ArrayList<>();
        for (int p = 0; p < e.workers(); p++) {
            lanes.add("w" + p);
        }
        g.setup(List.of(M_COMPUTE, M_BOUNDARY, M_WAIT, M_SEND, M_RECEIVE), lanes);
        for (Span s : e.spans()) {
            String kind = switch (s.kind()) {
                case COMPUTE -> M_COMPUTE;
                case COMPUTE_BOUNDARY -> M_BOUNDARY;
                case WAIT -> M_WAIT;
                case SEND -> M_SEND;
                case RECEIVE -> M_RECEIVE;
            };
            g.add(kind, s.worker(), s.kind().computeLane() ? 0 : 1, 2, s.startMs(), s.endMs(),
                    SylvieViewModel.phase(s.direction(), s.layer()) + (s.peer() >= 0 ? " peer w" + s.peer() : ""));
        }
        g.chart().setTitle(String.format(java.util.Locale.ROOT, "%s: %d stalls, epoch %.1f ms wall", title,
                e.stalls(), e.wallMs()));
    }

    GanttChart ganttSynchronous() {
        return ganttSync;
    }

    GanttChart ganttPipelined() {
        return ganttPiped;
    }

    GanttChart measuredPipelined() {
        return measuredPiped;
    }

    GraphChart graphChart() {
        return graph;
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
        return List.of(loss, accuracy, bytes, bandwidth, ganttSync, ganttPiped, measuredSync, measuredPiped, graph,
                partition, workers);
    }
}
