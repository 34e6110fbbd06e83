package org.mlsysworkbench.views.attention;

import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.attention.AttentionResult;
import org.mlsysworkbench.algorithms.attention.HeadMap;
import org.mlsysworkbench.algorithms.attention.PrefillPlan;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.HeatmapChart;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The attention page's nodes: controls bound to the {@link AttentionViewModel}, and the panels: head map (chart kit
 * heat map of the gates), prefill tile map and decode page timeline (one pixel per tile or page and step, so maps
 * of a million cells stay cheap), recall vs budget and the traced head's recall per step, live while a run
 * proceeds. An inspector line gives the value and formula under the mouse. Builds and binds only; FX thread.
 */
public final class AttentionView {

    private static final int PANEL = 300;

    private final AttentionViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ImageView tileMap = new ImageView();
    private final ImageView timeline = new ImageView();
    private final Label headLabel = new Label();
    private final Label tileLabel = new Label();
    private final Label timelineLabel = new Label();
    private final Label inspector = new Label("move the mouse over a panel");
    private final HeatmapChart headChart;
    private final LiveXYChart recallChart;
    private final LiveXYChart liveChart;
    private final CategoryBarChart speedChart;
    private final LiveXYChart reuseChart;
    private final CategoryBarChart memoryChart;
    private final CategoryBarChart recallBars;
    private final Label recallLabel = new Label();
    private boolean syncingModel;

    public AttentionView(AttentionViewModel vm, ChartKit kit) {
        this.vm = vm;
        this.headChart = kit.heatmap("attention-head-map", "Gate alpha per layer and KV head", "KV head", "layer",
                "alpha");
        this.recallChart = kit.line("attention-recall-vs-budget", "Recall vs budget", "budget B (tokens)",
                "fraction");
        this.liveChart = kit.line("attention-trace-recall", "Traced head: recall per decode step", "position",
                "recall");
        this.speedChart = kit.bar("attention-speed", "Dense / LServe time, measured in one run", "case", "speedup (x)");
        this.reuseChart = kit.line("attention-recall-vs-reuse", "Recall vs reuse interval", "reuse interval C",
                "fraction");
        this.memoryChart = kit.bar("attention-kv-memory", "KV memory (float32)", "", "KiB");
        this.recallBars = kit.bar("attention-recall-ablation", "Recall model: retrieval accuracy and head ablation",
                "", "accuracy");
        vm.speedRows().addListener((ListChangeListener<BenchmarkReport.Row>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && vm.speedRows().isEmpty()) {
                    speedChart.clear();
                }
                for (BenchmarkReport.Row row : c.getAddedSubList()) {
                    if ("speedup".equals(row.metric())) {
                        speedChart.set("measured", row.caseName(), row.value());
                    } else if ("ideal speedup".equals(row.metric())) {
                        speedChart.set("ideal 1/density", row.caseName(), row.value());
                    }
                }
            }
        });
        vm.liveRecall().addListener((ListChangeListener<double[]>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && vm.liveRecall().isEmpty()) {
                    liveChart.clear();
                }
                for (double[] p : c.getAddedSubList()) {
                    liveChart.append("recall", p[0], p[1]);
                }
            }
        });
        root.setId("attentionPage");
        root.setLeft(controls());
        root.setCenter(new ScrollPane(panels()));
        VBox bottom = new VBox(4, inspector, statusLine());
        bottom.setPadding(new Insets(6));
        root.setBottom(bottom);
        inspector.setId("attention-inspector");
        vm.resultProperty().addListener((o, a, r) -> redraw(r));
        vm.tileHeadProperty().addListener((o, a, b) -> drawTiles(vm.resultProperty().get()));
        redraw(vm.resultProperty().get());
    }

    public Node node() {
        return root;
    }

    /** The page's exportable charts. */
    List<ExportableChart> charts() {
        return List.of(headChart, recallChart, reuseChart, liveChart, speedChart, memoryChart, recallBars);
    }

    /** The x of the "this run" point of the recall chart (its budget), or NaN; for tests. */
    double recallChartBudget() {
        if (!recallChart.seriesNames().contains("this run")) {
            return Double.NaN;
        }
        double[] x = recallChart.series("this run").snapshot().x();
        return x.length == 0 ? Double.NaN : x[x.length - 1];
    }

    private Node controls() {
        GridPane g = new GridPane();
        g.setHgap(6);
        g.setVgap(6);
        g.setPadding(new Insets(8));
        int row = 0;
        javafx.scene.control.ChoiceBox<String> workload = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList("model", "needle", "recall", "train-recall"));
        workload.setId("attention-workload");
        workload.setValue(vm.workloadProperty().get());
        workload.valueProperty().addListener((o, a, b) -> vm.selectWorkload(b));
        vm.workloadProperty().addListener((o, a, b) -> workload.setValue(b));
        row = addRow(g, row, "Workload", workload, "model: a llama2.c checkpoint; needle: synthetic haystacks; "
                + "recall: the bundled associative-recall model on held-out sequences; train-recall: train it here");
        javafx.scene.control.ChoiceBox<String> modelChoice = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList(AttentionViewModel.STORIES,
                        AttentionViewModel.RECALL_MODEL, AttentionViewModel.USER_FILE));
        modelChoice.setId("attention-modelChoice");
        modelChoice.setValue(vm.modelChoice());
        Runnable sync = () -> {
            syncingModel = true;
            try {
                modelChoice.setValue(vm.modelChoice());
            } finally {
                syncingModel = false;
            }
        };
        vm.workloadProperty().addListener((o, a, b) -> sync.run());
        vm.modelPathProperty().addListener((o, a, b) -> sync.run());
        modelChoice.valueProperty().addListener((o, a, b) -> {
            if (syncingModel || b == null) {
                return;
            }
            if (AttentionViewModel.USER_FILE.equals(b)) {
                java.io.File f = chooseCheckpoint();
                if (f != null) {
                    vm.selectModel(b, f.getAbsolutePath());
                } else {
                    // cancelled: show the model that is still loaded
                    Platform.runLater(sync);
                }
            } else {
                vm.selectModel(b, null);
            }
        });
        row = addRow(g, row, "Model", modelChoice, "stories260K (forward-pass fidelity), the recall model (trained "
                + "with the workbench's autodiff on associative recall: real retrieval heads), or your own file");
        javafx.scene.control.TextField model = new javafx.scene.control.TextField();
        model.setId("attention-modelPath");
        model.setPrefColumnCount(12);
        model.textProperty().bindBidirectional(vm.modelPathProperty());
        Button browse = new Button("Open…");
        browse.setId("attention-openModel");
        browse.setOnAction(e -> {
            java.io.File f = chooseCheckpoint();
            if (f != null) {
                vm.modelPathProperty().set(f.getAbsolutePath());
            }
        });
        row = addRow(g, row, "Checkpoint", new HBox(4, model, browse), "sample:stories260K.bin or a .bin file");
        Spinner<Integer> budget = intSpinner("budget", AttentionViewModel.MIN_BUDGET, AttentionViewModel.MAX_BUDGET,
                vm.budgetTokensProperty().get(), 64);
        budget.getValueFactory().valueProperty().addListener((o, a, b) -> vm.requestBudget(b));
        vm.budgetTokensProperty().addListener((o, a, b) -> budget.getValueFactory().setValue(b.intValue()));
        row = addRow(g, row, "Budget B (tokens)", budget, "KV tokens a retrieval head reads per decode step");
        row = addRow(g, row, "Physical page N_P", bound(intSpinner("pageTokens", 1, 4096,
                vm.pageTokensProperty().get(), 1), vm.pageTokensProperty()), "tokens per physical page");
        row = addRow(g, row, "Logical page N_L", bound(intSpinner("logicalTokens", 1, 4096,
                vm.logicalTokensProperty().get(), 1), vm.logicalTokensProperty()), "divides N_P");
        row = addRow(g, row, "Reuse interval C", bound(intSpinner("reuseInterval", 1, 1024,
                vm.reuseIntervalProperty().get(), 1), vm.reuseIntervalProperty()), "reselect pages every C steps");
        Slider ratio = new Slider(0, 1, vm.streamingRatioProperty().get());
        ratio.setId("attention-streamingRatio");
        ratio.setMajorTickUnit(0.25);
        ratio.setShowTickLabels(true);
        ratio.setSnapToTicks(true);
        ratio.setBlockIncrement(0.25);
        ratio.valueProperty().bindBidirectional(vm.streamingRatioProperty());
        row = addRow(g, row, "Streaming ratio", ratio, "fraction of KV heads with sink + local window only");
        row = addRow(g, row, "Sink S (tokens)", bound(intSpinner("sinkTokens", 0, 1 << 20,
                vm.sinkTokensProperty().get(), 4), vm.sinkTokensProperty()), "attention-sink tokens");
        row = addRow(g, row, "Local W (tokens)", bound(intSpinner("localTokens", 1, 1 << 20,
                vm.localTokensProperty().get(), 16), vm.localTokensProperty()), "local window");
        row = addRow(g, row, "Context (tokens)", bound(intSpinner("contextTokens", 2, 1 << 20,
                vm.contextTokensProperty().get(), 64), vm.contextTokensProperty()), "decoded tokens / haystack");
        Button run = new Button("Run");
        run.setId("attention-runButton");
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("attention-cancelButton");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        g.add(new HBox(6, run, cancel), 0, row++, 2, 1);
        Label error = new Label();
        error.setId("attention-error");
        error.setWrapText(true);
        error.setMaxWidth(260);
        error.textProperty().bind(vm.errorProperty());
        g.add(error, 0, row, 2, 1);
        return g;
    }

    private java.io.File chooseCheckpoint() {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Open a llama2.c checkpoint");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("llama2.c (*.bin)", "*.bin"));
        return chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
    }

    private static int addRow(GridPane g, int row, String label, Node control, String tip) {
        Label l = new Label(label);
        l.setTooltip(new Tooltip(tip));
        g.add(l, 0, row);
        g.add(control, 1, row);
        return row + 1;
    }

    private static Spinner<Integer> intSpinner(String id, int min, int max, int value, int step) {
        Spinner<Integer> s = new Spinner<>(min, max, value, step);
        s.setId("attention-" + id);
        s.setEditable(true);
        s.setPrefWidth(110);
        return s;
    }

    private static Spinner<Integer> bound(Spinner<Integer> s, javafx.beans.property.IntegerProperty p) {
        s.getValueFactory().valueProperty().addListener((o, a, b) -> p.set(b));
        p.addListener((o, a, b) -> s.getValueFactory().setValue(b.intValue()));
        return s;
    }

    private Node statusLine() {
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(200);
        Label status = new Label();
        status.setId("attention-status");
        status.textProperty().bind(vm.statusProperty());
        return new HBox(8, bar, status);
    }

    private Node panels() {
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(12);
        g.setPadding(new Insets(8));
        tileMap.setId("attention-tileMap");
        timeline.setId("attention-timeline");
        headLabel.setId("attention-headSummary");
        tileLabel.setId("attention-prefillSummary");
        timelineLabel.setId("attention-timelineSummary");
        for (ImageView v : new ImageView[] {tileMap, timeline}) {
            v.setFitWidth(PANEL);
            v.setFitHeight(PANEL);
        }
        Spinner<Integer> head = intSpinner("tileHead", 0, 255, 0, 1);
        head.getValueFactory().valueProperty().addListener((o, a, b) -> vm.tileHeadProperty().set(b));
        Node headNode = headChart.node();
        headNode.setId("attention-headMap");
        ((javafx.scene.layout.Region) headNode).setPrefSize(PANEL + 40, PANEL);
        g.add(panel("Head map (layer x KV head)", headNode, headLabel), 0, 1);
        g.add(panel("Prefill tile map (dense / streaming / skipped)", new VBox(4, tileMap,
                new HBox(6, new Label("query head"), head)), tileLabel), 1, 1);
        g.add(panel("Decode page timeline (x = step, y = page; colour = oracle mass; grey = not selected)", timeline,
                timelineLabel), 0, 2);
        Node recall = recallChart.node();
        ((javafx.scene.layout.Region) recall).setPrefSize(PANEL + 40, PANEL);
        g.add(panel("Recall vs budget", recall, new Label("mean attention-mass recall "
                + "sum_{j selected} p_j, p = softmax(q.K/sqrt(D)), over retrieval heads and steps beyond the budget")),
                1, 2);
        Node live = liveChart.node();
        ((javafx.scene.layout.Region) live).setPrefSize(PANEL + 40, PANEL - 60);
        g.add(panel("Live", live, new Label("recall of the traced head at each step, as the run proceeds")), 0, 3);
        Node memory = memoryChart.node();
        ((javafx.scene.layout.Region) memory).setPrefSize(PANEL + 40, PANEL - 60);
        g.add(panel("KV memory", memory, new Label("dense = 2 L Hkv D T b; LServe = retrieval pages + min/max "
                + "statistics (2 g D s_b per page and head) + streaming sink and ring pages")), 1, 3);
        Button measure = new Button("Measure speed (bench attention --quick)");
        measure.setId("attention-speedButton");
        measure.setOnAction(e -> vm.measureSpeed());
        measure.disableProperty().bind(vm.speedRunningProperty());
        Node speed = speedChart.node();
        ((javafx.scene.layout.Region) speed).setPrefSize(PANEL + 40, PANEL - 40);
        g.add(panel("Speed", new VBox(4, measure, speed), new Label("dense time / LServe time per case on this "
                + "backend, next to the ideal 1/density (decode: T/B; prefill: 1/(1-r))")), 0, 4);
        Node reuse = reuseChart.node();
        ((javafx.scene.layout.Region) reuse).setPrefSize(PANEL + 40, PANEL - 40);
        g.add(panel("Reuse interval", reuse, new Label("pages reselected every C decode steps, reused in between "
                + "(newest page always added); at the run's budget")), 1, 4);
        Node ablation = recallBars.node();
        ablation.setId("attention-recallAblation");
        ((javafx.scene.layout.Region) ablation).setPrefSize(2 * PANEL + 80, PANEL - 80);
        recallLabel.setId("attention-recallSummary");
        recallLabel.setMaxWidth(2 * PANEL + 80);
        VBox recallBox = new VBox(4, new Label("Recall model: retrieval accuracy, LServe, and head ablation "
                + "(heads classified by calibration, a training-free stand-in for DuoAttention's gates)"), ablation,
                recallLabel);
        recallLabel.setWrapText(true);
        recallBox.setPadding(new Insets(4));
        recallBox.setId("attention-recallPanel");
        // shown on top, only for recall-model results
        recallBox.visibleProperty().bind(vm.resultProperty().map(r -> r.recall() != null).orElse(false));
        recallBox.managedProperty().bind(recallBox.visibleProperty());
        g.add(recallBox, 0, 0, 2, 1);
        tileMap.setOnMouseMoved(this::inspectTile);
        timeline.setOnMouseMoved(this::inspectTimeline);
        return g;
    }

    private static Node panel(String title, Node content, Label caption) {
        caption.setWrapText(true);
        caption.setMaxWidth(PANEL + 40);
        VBox box = new VBox(4, new Label(title), content, caption);
        box.setPadding(new Insets(4));
        return box;
    }

    private void redraw(AttentionResult r) {
        recallBars.clear();
        for (Object[] row : vm.recallRows()) {
            recallBars.set("accuracy", (String) row[0], (Double) row[1]);
        }
        recallLabel.setText(vm.recallSummary());
        drawMemory(r);
        drawHeads(r);
        drawTiles(r);
        drawTimeline(r);
        recallChart.clear();
        if (r != null) {
            String quality = "needle".equals(r.workload()) ? "needle hit rate" : "next-token agreement";
            for (AttentionResult.BudgetPoint p : r.sweep()) {
                recallChart.append("attention-mass recall", p.budgetTokens(), p.recall());
                recallChart.append(quality, p.budgetTokens(), p.quality());
            }
            // the run's own budget, so the chart moves with the budget control
            recallChart.append("this run", vm.budgetTokensProperty().get(), r.meanRecall());
        }
        reuseChart.clear();
        if (r != null) {
            for (AttentionResult.ReusePoint p : r.reuseSweep()) {
                reuseChart.append("attention-mass recall", p.reuseInterval(), p.recall());
                reuseChart.append("next-token agreement", p.reuseInterval(), p.agreement());
            }
        }
    }

    private void drawMemory(AttentionResult r) {
        memoryChart.clear();
        if (r == null) {
            return;
        }
        AttentionResult.Memory m = r.memory();
        memoryChart.set("KV", "dense", m.denseBytes() / 1024.0);
        memoryChart.set("KV", "LServe", m.retrievalBytes() / 1024.0);
        memoryChart.set("streaming ring", "LServe", m.streamingBytes() / 1024.0);
        memoryChart.set("min/max statistics", "LServe", m.statBytes() / 1024.0);
    }

    private void drawHeads(AttentionResult r) {
        if (r == null) {
            headChart.setValues(new double[0][0]);
            headLabel.setText("");
            return;
        }
        HeadMap m = r.headMap();
        headChart.setValues(m.alpha());
        StringBuilder streaming = new StringBuilder();
        for (int l = 0; l < m.layers(); l++) {
            for (int h = 0; h < m.kvHeads(); h++) {
                if (!m.retrieval()[l][h] && m.layers() * m.kvHeads() <= 64) {
                    streaming.append(streaming.length() == 0 ? "" : " ").append('L').append(l).append('H').append(h);
                }
            }
        }
        headLabel.setText(String.format(Locale.ROOT, "%s; threshold tau = quantile(alpha, %.2f) = %.4f, retrieval iff "
                + "alpha >= tau; retrieval heads per layer %s%s", m.source(), m.ratio(), m.threshold(),
                java.util.Arrays.toString(m.retrievalPerLayer()),
                streaming.length() == 0 ? "" : "; streaming: " + streaming));
    }

    private void drawTiles(AttentionResult r) {
        if (r == null) {
            CellImage.show(tileMap, new int[0], 0, 0, PANEL);
            tileLabel.setText("");
            return;
        }
        PrefillPlan p = r.prefill();
        int h = Math.min(vm.tileHeadProperty().get(), p.queryHeads() - 1);
        PrefillPlan.TileKind[][] map = p.tileMap(h);
        int rows = map.length;
        int cols = rows == 0 ? 0 : map[0].length;
        int[] px = new int[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                px[i * cols + j] = switch (map[i][j]) {
                    case DENSE -> 0xff2c7bb6;
                    case STREAMING -> 0xff1a9641;
                    case SKIPPED -> 0xffd7d7d7;
                    case MASKED -> 0xffffffff;
                };
            }
        }
        CellImage.show(tileMap, px, cols, rows, PANEL);
        tileLabel.setText("head " + h + (p.streaming(h) ? " (streaming)" : " (dense)") + ": " + vm.prefillSummary());
    }

    private void drawTimeline(AttentionResult r) {
        timelineLabel.setText(vm.timelineSummary());
        if (r == null || r.timeline().isEmpty()) {
            CellImage.show(timeline, new int[0], 0, 0, PANEL);
            return;
        }
        List<AttentionResult.TimelineStep> t = r.timeline();
        int steps = t.size();
        int pages = t.get(steps - 1).pageMass().length;
        int[] px = new int[steps * pages];
        java.util.Arrays.fill(px, 0xffffffff);
        for (int s = 0; s < steps; s++) {
            AttentionResult.TimelineStep st = t.get(s);
            double[] mass = st.pageMass();
            double max = 0;
            for (double m : mass) {
                max = Math.max(max, m);
            }
            boolean[] chosen = new boolean[mass.length];
            for (int p : st.pages()) {
                chosen[p] = true;
            }
            for (int p = 0; p < mass.length; p++) {
                int c = CellImage.ramp(max > 0 ? Math.sqrt(mass[p] / max) : 0);
                px[(pages - 1 - p) * steps + s] = chosen[p] ? c : CellImage.grey(c);
            }
        }
        CellImage.show(timeline, px, steps, pages, PANEL);
    }

    private static int cell(MouseEvent e, ImageView v, boolean x) {
        if (!(v.getUserData() instanceof int[] size)) {
            return -1;
        }
        double f = x ? e.getX() / v.getFitWidth() : e.getY() / v.getFitHeight();
        double n = x ? size[0] : size[1];
        return (int) Math.min(n - 1, Math.max(0, Math.floor(f * n)));
    }

    private void inspectTile(MouseEvent e) {
        AttentionResult r = vm.resultProperty().get();
        int kt = cell(e, tileMap, true);
        int qt = cell(e, tileMap, false);
        if (r == null || kt < 0) {
            return;
        }
        PrefillPlan p = r.prefill();
        int h = Math.min(vm.tileHeadProperty().get(), p.queryHeads() - 1);
        inspector.setText(String.format(Locale.ROOT, "query tile %d (tokens %d..%d) x key tile %d: %s; visible iff "
                + "j <= i and (j < S=%d or i - j < W=%d) for streaming heads", qt, qt * p.tileQ(),
                Math.min(p.tokens(), (qt + 1) * p.tileQ()) - 1, kt, p.tileMap(h)[qt][kt], p.sinkTokens(),
                p.localTokens()));
    }

    private void inspectTimeline(MouseEvent e) {
        AttentionResult r = vm.resultProperty().get();
        int s = cell(e, timeline, true);
        int row = cell(e, timeline, false);
        if (r == null || r.timeline().isEmpty() || s < 0) {
            return;
        }
        AttentionResult.TimelineStep st = r.timeline().get(s);
        int pages = r.timeline().get(r.timeline().size() - 1).pageMass().length;
        int p = pages - 1 - row;
        boolean sel = java.util.Arrays.stream(st.pages()).anyMatch(x -> x == p);
        String score = st.scores() != null && p < st.scores().length
                ? String.format(Locale.ROOT, "P_p = max_j S_j = %.3f, S_j = sum_i max(q_i kmax_j[i], q_i kmin_j[i])",
                st.scores()[p]) : "selection reused from the last reselection step";
        inspector.setText(String.format(Locale.ROOT, "step %d, page %d: oracle mass sum_{t in page} p_t = %.4f, %s; "
                + "%s; step recall %.3f", st.position(), p, p < st.pageMass().length ? st.pageMass()[p] : 0.0,
                sel ? "selected" : "not selected", score, st.recall()));
    }
}
