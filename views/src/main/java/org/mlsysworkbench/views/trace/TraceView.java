package org.mlsysworkbench.views.trace;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.trace.Agreement;
import org.mlsysworkbench.algorithms.trace.Cdf;
import org.mlsysworkbench.algorithms.trace.CheckpointSimulator;
import org.mlsysworkbench.algorithms.trace.EvalSchedulingSimulator;
import org.mlsysworkbench.algorithms.trace.ReproductionRow;
import org.mlsysworkbench.algorithms.trace.ResultTable;
import org.mlsysworkbench.algorithms.trace.Share;
import org.mlsysworkbench.algorithms.trace.TraceConfig;
import org.mlsysworkbench.algorithms.trace.TraceDashboard;
import org.mlsysworkbench.algorithms.trace.TraceResult;
import org.mlsysworkbench.algorithms.trace.UtilizationCurves;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.LiveXYChart;
import org.mlsysworkbench.views.core.charts.WorkbenchChart;

/**
 * The trace bench page: the trace source on the left; tabs for the dashboard (duration, queueing and
 * GPU-demand CDFs on log axes, final states and job types by count and GPU time, the release's GPU-utilisation
 * CDFs), the reproduction table
 * (published vs recomputed, coloured by agreement), a SQL console with one-click chart, and the two
 * simulators (goodput vs checkpoint interval with the Young/Daly optimum; evaluation makespans per node
 * count). Creates nodes and binds them to {@link TraceViewModel}; nothing else.
 */
public final class TraceView implements BenchPage {

    private final TraceViewModel vm;
    private final String benchId;
    private final BorderPane root = new BorderPane();
    private final LiveXYChart durationChart;
    private final LiveXYChart queueChart;
    private final LiveXYChart demandChart;
    private final CategoryBarChart statesChart;
    private final CategoryBarChart typesChart;
    private final LiveXYChart utilChart;
    private final LiveXYChart timelineChart;
    private final LiveXYChart goodputChart;
    private final CategoryBarChart evalChart;
    private final CategoryBarChart sqlChart;
    private final Label flag = new Label();
    private final Label checkpointSummary = new Label();
    private final Label evalSummary = new Label();
    private final TableView<List<Object>> sqlTable = new TableView<>();

    public TraceView(WorkbenchServices services, BenchDefinition<TraceConfig, TraceResult> bench) {
        this.benchId = bench.id();
        this.vm = new TraceViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        durationChart = kit.cdf("trace-duration-cdf", "Job duration", "seconds (log)");
        durationChart.setLogX(true);
        queueChart = kit.cdf("trace-queue-cdf", "Queueing delay", "seconds (log)");
        queueChart.setLogX(true);
        demandChart = kit.cdf("trace-gpu-demand-cdf", "GPU demand", "GPUs per job (log)");
        demandChart.setLogX(true);
        statesChart = kit.bar("trace-final-states", "GPU jobs by final state", "state", "share (%)");
        typesChart = kit.bar("trace-job-types", "GPU jobs by type", "type", "share (%)");
        utilChart = kit.cdf("trace-gpu-utilisation-cdf", "GPU utilisation (release telemetry)", "GPU utilisation (%)");
        drawUtilisation();
        timelineChart = kit.xy("trace-daily-submissions", "Jobs submitted per day (drag to zoom)",
                "days since the first submission", "jobs");
        goodputChart = kit.xy("trace-goodput-vs-interval", "Goodput vs checkpoint interval", "interval (min, log)",
                "goodput (ETTR)");
        goodputChart.setLogX(true);
        evalChart = kit.bar("trace-eval-makespan", "Evaluation makespan", "nodes", "makespan (s)");
        sqlChart = kit.bar("trace-sql-chart", "Query result", "row", "value");
        build();
        vm.durationCurves().addListener((ListChangeListener<Cdf>) c -> drawCdfs(durationChart, vm.durationCurves()));
        vm.queueCurves().addListener((ListChangeListener<Cdf>) c -> drawCdfs(queueChart, vm.queueCurves()));
        vm.resultProperty().addListener((o, a, r) -> drawResult(r));
        vm.sweepProperty().addListener((o, a, s) -> drawSweep(s));
        vm.checkpointRunProperty().addListener((o, a, r) -> drawRun(r));
        vm.sqlResultProperty().addListener((o, a, t) -> drawTable(t));
    }

    /** The page factory to register for {@code bench}. */
    public static BenchPageFactory factory(BenchDefinition<TraceConfig, TraceResult> bench) {
        return services -> new TraceView(services, bench);
    }

    public TraceViewModel viewModel() {
        return vm;
    }

    private void build() {
        root.setId("tracePage");
        Label title = new Label("Datacenter trace (Acme)");
        title.getStyleClass().add(Styles.TITLE_3);
        Label what = new Label("Generate a trace from a cluster's published distributions or load an AcmeTrace "
                + "CSV; the statistics engine (DuckDB) recomputes the paper's figures.");
        what.setWrapText(true);
        what.getStyleClass().add("muted");

        ToggleGroup source = new ToggleGroup();
        RadioButton gen = new RadioButton("Generate");
        gen.setId("sourceGenerated");
        RadioButton file = new RadioButton("Load file");
        file.setId("sourceFile");
        gen.setToggleGroup(source);
        file.setToggleGroup(source);
        gen.setSelected(vm.generatedProperty().get());
        file.setSelected(!vm.generatedProperty().get());
        gen.selectedProperty().addListener((o, a, b) -> vm.generatedProperty().set(b));
        vm.generatedProperty().addListener((o, a, b) -> (b ? gen : file).setSelected(true));
        ComboBox<String> cluster = new ComboBox<>();
        cluster.setId("cluster");
        cluster.getItems().setAll(TraceViewModel.CLUSTERS);
        cluster.valueProperty().bindBidirectional(vm.clusterProperty());
        TextField jobs = new TextField();
        jobs.setId("jobs");
        jobs.textProperty().bindBidirectional(vm.jobsProperty());
        jobs.disableProperty().bind(vm.generatedProperty().not());
        TextField path = new TextField();
        path.setId("traceFile");
        path.setPromptText("trace_kalos.csv or bundled:trace_kalos_head3.csv");
        path.textProperty().bindBidirectional(vm.traceFileProperty());
        path.disableProperty().bind(vm.generatedProperty());
        CheckBox skip = new CheckBox("Skip malformed rows");
        skip.setId("skipMalformed");
        skip.selectedProperty().bindBidirectional(vm.skipMalformedProperty());
        TextField seed = new TextField();
        seed.setId("seed");
        seed.textProperty().bindBidirectional(vm.seedProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, gen, file);
        form.addRow(1, new Label("Cluster"), cluster);
        form.addRow(2, new Label("Jobs"), jobs);
        form.addRow(3, new Label("Trace file"), path);
        form.addRow(4, new Label(""), skip);
        form.addRow(5, new Label("Seed"), seed);

        Label error = new Label();
        error.setId("configError");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Button run = new Button("Run");
        run.setId("traceRun");
        run.getStyleClass().add(Styles.ACCENT);
        run.disableProperty().bind(vm.runningProperty().or(vm.errorProperty().isNotEmpty()));
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("traceCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("traceStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        VBox left = new VBox(10, title, what, form, new HBox(8, run, cancel), error, status);
        left.setPrefWidth(320);
        left.setMinWidth(260);
        left.setStyle("-fx-padding: 12;");

        TabPane tabs = new TabPane(dashboardTab(), reproductionTab(), sqlTab(), faultToleranceTab(), evaluationTab());
        tabs.setId("traceTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane split = new SplitPane(new ScrollPane(left), tabs);
        split.setDividerPositions(0.25);
        root.setCenter(split);
    }

    private Tab dashboardTab() {
        ComboBox<TraceViewModel.Grouping> grouping = new ComboBox<>();
        grouping.setId("grouping");
        grouping.getItems().setAll(TraceViewModel.Grouping.values());
        grouping.valueProperty().bindBidirectional(vm.groupingProperty());
        flag.setId("durationFlag");
        HBox bar = new HBox(12, new Label("CDFs of"), grouping, flag);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.add(durationChart.node(), 0, 0);
        grid.add(queueChart.node(), 1, 0);
        grid.add(demandChart.node(), 0, 1);
        grid.add(statesChart.node(), 1, 1);
        grid.add(typesChart.node(), 0, 2);
        grid.add(utilChart.node(), 1, 2);
        grid.add(timelineChart.node(), 0, 3, 2, 1);
        for (Node n : grid.getChildren()) {
            GridPane.setHgrow(n, Priority.ALWAYS);
            if (n instanceof javafx.scene.layout.Region r) {
                r.setPrefSize(420, 280);
            }
        }
        VBox box = new VBox(8, bar, grid);
        box.setStyle("-fx-padding: 8;");
        return new Tab("Dashboard", new ScrollPane(box));
    }

    private Tab reproductionTab() {
        TableView<ReproductionRow> table = new TableView<>(vm.reproduction());
        table.setId("reproductionTable");
        table.getColumns().add(column("Quantity", r -> r.quantity(), 330));
        table.getColumns().add(column("Published", r -> number(r.published()), 120));
        table.getColumns().add(column("Recomputed", r -> number(r.recomputed()), 120));
        table.getColumns().add(column("Unit", ReproductionRow::unit, 60));
        table.getColumns().add(column("Tolerance", ReproductionRow::tolerance, 120));
        TableColumn<ReproductionRow, String> verdict = column("Agreement", r -> r.agreement().name(), 120);
        table.getColumns().add(verdict);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(ReproductionRow item, boolean empty) {
                super.updateItem(item, empty);
                setStyle(empty || item == null ? "" : "-fx-background-color: " + colour(item.agreement()) + ";");
            }
        });
        Label note = new Label("Counts and GPU-time totals are compared per published job (generated traces are "
                + "smaller than the clusters). Paper claims come from third-party reading notes (unverified).");
        note.setWrapText(true);
        VBox box = new VBox(8, note, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setStyle("-fx-padding: 8;");
        return new Tab("Reproduction", box);
    }

    static String colour(Agreement a) {
        return switch (a) {
            case AGREE -> "rgba(46, 160, 67, 0.25)";
            case PARTIAL -> "rgba(210, 153, 34, 0.3)";
            case DISAGREE -> "rgba(218, 54, 51, 0.3)";
            case NOT_AVAILABLE -> "transparent";
        };
    }

    private static <T> TableColumn<T, String> column(String name, java.util.function.Function<T, String> value,
                                                     double width) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Math.abs(v) >= 1e6 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%,.3f", v);
    }

    private Tab sqlTab() {
        TextArea sql = new TextArea();
        sql.setId("sqlText");
        sql.setPrefRowCount(4);
        sql.textProperty().bindBidirectional(vm.sqlProperty());
        Button run = new Button("Run query");
        run.setId("sqlRun");
        run.setOnAction(e -> vm.runSql());
        Button chart = new Button("Chart");
        chart.setId("sqlChart");
        chart.setOnAction(e -> chartTable(vm.sqlResultProperty().get()));
        Label st = new Label();
        st.textProperty().bind(vm.sqlStatusProperty());
        sqlTable.setId("sqlTable");
        Label hint = new Label("Table jobs: job_id, user, gpu_num, type, state, submit_s, start_s, end_s, "
                + "duration_s, queue_s, runtime_s, wait_s, gpu_time_s, gpu_seconds, is_gpu, is_cpu, state_group.");
        hint.setWrapText(true);
        VBox box = new VBox(8, hint, sql, new HBox(8, run, chart, st), sqlTable, sqlChart.node());
        VBox.setVgrow(sqlTable, Priority.ALWAYS);
        box.setStyle("-fx-padding: 8;");
        return new Tab("SQL", box);
    }

    private Tab faultToleranceTab() {
        Slider interval = new Slider(5, 600, vm.checkpointIntervalMinProperty().get());
        interval.setId("checkpointInterval");
        interval.setShowTickLabels(true);
        interval.setMajorTickUnit(100);
        interval.setPrefWidth(300);
        interval.valueChangingProperty().addListener((o, a, changing) -> {
            if (!changing) {
                vm.checkpointIntervalMinProperty().set(Math.round(interval.getValue()));
            }
        });
        interval.setOnMouseReleased(e -> vm.checkpointIntervalMinProperty().set(Math.round(interval.getValue())));
        Label value = new Label();
        value.textProperty().bind(vm.checkpointIntervalMinProperty().asString("%.0f min"));
        CheckBox async = new CheckBox("Asynchronous checkpoints");
        async.setId("asyncCheckpoints");
        async.selectedProperty().bindBidirectional(vm.asyncCheckpointsProperty());
        CheckBox auto = new CheckBox("Automatic diagnosis (rules, LLM analyst)");
        auto.setId("automaticDiagnosis");
        auto.selectedProperty().bindBidirectional(vm.automaticDiagnosisProperty());
        checkpointSummary.setId("checkpointSummary");
        checkpointSummary.setWrapText(true);
        VBox box = new VBox(8, new HBox(8, new Label("Checkpoint interval"), interval, value), new HBox(16, async, auto),
                checkpointSummary, goodputChart.node());
        box.setStyle("-fx-padding: 8;");
        return new Tab("Fault tolerance", box);
    }

    private Tab evaluationTab() {
        evalSummary.setId("evalSummary");
        evalSummary.setWrapText(true);
        VBox box = new VBox(8, evalSummary, evalChart.node());
        box.setStyle("-fx-padding: 8;");
        return new Tab("Evaluation scheduling", box);
    }

    private static void drawCdfs(LiveXYChart chart, List<Cdf> curves) {
        chart.clear();
        for (Cdf c : curves) {
            double[] x = c.x();
            double[] y = c.cdf();
            for (int i = 0; i < x.length; i++) {
                chart.append(c.name(), x[i], y[i]);
            }
        }
        chart.refresh();
    }

    private void drawUtilisation() {
        for (String c : TraceViewModel.CLUSTERS) {
            String key = UtilizationCurves.GPU_UTIL.get(c);
            if (key == null) {
                continue;
            }
            UtilizationCurves.Series s = UtilizationCurves.bundled().get(key);
            double[] p = s.cdf();
            double[] v = s.value();
            for (int i = 0; i < p.length; i++) {
                utilChart.append(c, v[i], p[i]);
            }
        }
        utilChart.refresh();
    }

    private void drawResult(TraceResult r) {
        if (r == null) {
            return;
        }
        TraceDashboard d = r.dashboard();
        flag.setText(d.durationIncludesQueueing() ? "duration includes queueing (end − submit)"
                : "duration = end − start");
        drawCdfs(demandChart, List.of(d.gpuDemandByJobs(), d.gpuDemandByTime()));
        timelineChart.clear();
        double[] daily = d.dailyJobs();
        for (int i = 0; i < daily.length; i++) {
            timelineChart.append("jobs", i, daily[i]);
        }
        timelineChart.refresh();
        statesChart.clear();
        for (Share s : d.gpuStates()) {
            statesChart.set("jobs", s.category(), 100 * s.jobShare());
            statesChart.set("GPU time", s.category(), 100 * s.gpuTimeShare());
        }
        typesChart.clear();
        for (Share s : d.types()) {
            typesChart.set("jobs", s.category(), 100 * s.jobShare());
            typesChart.set("GPU time", s.category(), 100 * s.gpuTimeShare());
        }
        evalChart.clear();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.evaluation().size(); i++) {
            EvalSchedulingSimulator.Comparison c = r.evaluation().get(i);
            String n = Integer.toString(i + 1);
            evalChart.set("baseline", n, c.baseline().makespanS());
            evalChart.set("coordinator", n, c.coordinator().makespanS());
            sb.append(String.format(Locale.ROOT, "%d node(s): %.2f× shorter makespan%s. ", i + 1, c.speedup(),
                    i == 0 ? " (paper 1.3×)" : i == 3 ? " (paper 1.8×)" : ""));
        }
        evalSummary.setText(sb.toString());
    }

    private void drawSweep(CheckpointSimulator.Sweep s) {
        goodputChart.clear();
        if (s == null) {
            return;
        }
        double[] tau = s.intervalsMin();
        double[] g = s.goodput();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < tau.length; i++) {
            goodputChart.append("goodput", tau[i], g[i]);
            lo = Math.min(lo, g[i]);
            hi = Math.max(hi, g[i]);
        }
        goodputChart.append("Young/Daly", s.youngDalyMin(), lo);
        goodputChart.append("Young/Daly", s.youngDalyMin(), hi);
        goodputChart.append("best found", s.bestIntervalMin(), lo);
        goodputChart.append("best found", s.bestIntervalMin(), hi);
        goodputChart.refresh();
        drawRun(vm.checkpointRunProperty().get());
    }

    private void drawRun(CheckpointSimulator.Run r) {
        CheckpointSimulator.Sweep s = vm.sweepProperty().get();
        if (r == null || s == null) {
            checkpointSummary.setText("");
            return;
        }
        checkpointSummary.setText(String.format(Locale.ROOT, "At %.0f min: goodput %.3f, %d failures, %d manual "
                        + "interventions, %.0f GPU-hours lost. Best interval %.0f min; Young/Daly %.0f min.",
                vm.checkpointIntervalMinProperty().get(), r.goodput(), r.failures(), r.manualInterventions(),
                r.lostGpuHours(), s.bestIntervalMin(), s.youngDalyMin()));
    }

    private void drawTable(ResultTable t) {
        sqlTable.getColumns().clear();
        if (t == null) {
            sqlTable.getItems().clear();
            return;
        }
        for (int i = 0; i < t.columns().size(); i++) {
            final int col = i;
            TableColumn<List<Object>, String> c = new TableColumn<>(t.columns().get(i));
            c.setCellValueFactory(d -> new ReadOnlyStringWrapper(String.valueOf(d.getValue().get(col))));
            sqlTable.getColumns().add(c);
        }
        sqlTable.getItems().setAll(t.rows());
    }

    /** One-click chart: the first text column as categories, every numeric column as a series (≤ 50 rows). */
    private void chartTable(ResultTable t) {
        sqlChart.clear();
        if (t == null || t.rows().isEmpty()) {
            return;
        }
        int label = -1;
        List<Integer> numeric = new ArrayList<>();
        for (int c = 0; c < t.columns().size(); c++) {
            if (t.isNumeric(c)) {
                numeric.add(c);
            } else if (label < 0) {
                label = c;
            }
        }
        for (int r = 0; r < Math.min(50, t.rows().size()); r++) {
            String cat = label < 0 ? Integer.toString(r + 1) : String.valueOf(t.rows().get(r).get(label));
            for (int c : numeric) {
                sqlChart.set(t.columns().get(c), cat, t.number(r, c));
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
    public Map<String, String> viewState() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("grouping", vm.groupingProperty().get().name());
        m.put("sql", vm.sqlProperty().get());
        return m;
    }

    @Override
    public void restoreViewState(Map<String, String> state) {
        if (state.containsKey("grouping")) {
            try {
                vm.groupingProperty().set(TraceViewModel.Grouping.valueOf(state.get("grouping")));
            } catch (IllegalArgumentException ignored) {
                // an unknown grouping from another version keeps the current one
            }
        }
        if (state.containsKey("sql")) {
            vm.sqlProperty().set(state.get("sql"));
        }
    }

    @Override
    public List<ExportableChart> charts() {
        List<WorkbenchChart> all = List.of(durationChart, queueChart, demandChart, statesChart, typesChart,
                utilChart, timelineChart, goodputChart, evalChart, sqlChart);
        return new ArrayList<>(all);
    }

    /** The charts by name (tests). */
    Map<String, WorkbenchChart> chartsByName() {
        Map<String, WorkbenchChart> m = new LinkedHashMap<>();
        for (ExportableChart c : charts()) {
            m.put(c.name(), (WorkbenchChart) c);
        }
        return m;
    }
}
