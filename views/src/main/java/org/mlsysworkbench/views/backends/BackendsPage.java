package org.mlsysworkbench.views.backends;

import atlantafx.base.theme.Styles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsResult;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.BenchPageFactory;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;

/**
 * The Backends bench page: sizes, repetitions and seed on the left; one throughput chart per kernel
 * (backends side by side, one bar per size) and the table of every measurement on the right.
 */
public final class BackendsPage implements BenchPage {

    /** The kernels the experiment measures, in chart order. */
    static final List<String> KERNELS = List.of("saxpy", "gemm", "sum");

    private final BackendsViewModel vm;
    private final String benchId;
    private final Map<String, CategoryBarChart> charts = new LinkedHashMap<>();
    private final BorderPane root = new BorderPane();

    public BackendsPage(WorkbenchServices services, BenchDefinition<BackendsConfig, BackendsResult> bench) {
        this.benchId = bench.id();
        this.vm = new BackendsViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        ChartKit kit = services.charts();
        for (String k : KERNELS) {
            String unit = "gemm".equals(k) ? "GFLOP/s" : "GB/s";
            String size = "gemm".equals(k) ? "matrix size n (n×n×n)" : "elements";
            charts.put(k, kit.bar("backends-" + k + "-throughput", k + " throughput (" + unit + ")", size, unit));
        }
        build();
        vm.rows().addListener((ListChangeListener<BackendsResult.Row>) c -> updateCharts());
    }

    /** The page factory to register for {@code bench}. */
    public static BenchPageFactory factory(BenchDefinition<BackendsConfig, BackendsResult> bench) {
        return services -> new BackendsPage(services, bench);
    }

    public BackendsViewModel viewModel() {
        return vm;
    }

    private void build() {
        root.setId("backendsPage");
        Label title = new Label("Backends");
        title.getStyleClass().add(Styles.TITLE_3);
        Label what = new Label("saxpy (y = a·x + y), blocked GEMM and a float sum on every backend, "
                + "checked against plain Java. Best of the repetitions is reported.");
        what.setWrapText(true);
        what.getStyleClass().add("muted");

        TextField saxpy = field("saxpySizes", vm.saxpySizesProperty());
        TextField gemm = field("gemmSizes", vm.gemmSizesProperty());
        TextField sum = field("sumSizes", vm.sumSizesProperty());
        Spinner<Integer> reps = new Spinner<>(1, 100, vm.repetitionsProperty().get());
        reps.setId("repetitions");
        reps.setEditable(true);
        reps.valueProperty().addListener((o, a, b) -> vm.repetitionsProperty().set(b));
        vm.repetitionsProperty().addListener((o, a, b) -> reps.getValueFactory().setValue(b.intValue()));
        TextField seed = field("seed", vm.seedProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);   // labels never truncate
        javafx.scene.layout.ColumnConstraints inputs = new javafx.scene.layout.ColumnConstraints();
        inputs.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, inputs);
        form.addRow(0, new Label("saxpy sizes"), saxpy);
        form.addRow(1, new Label("GEMM sizes n"), gemm);
        form.addRow(2, new Label("sum sizes"), sum);
        form.addRow(3, new Label("Repetitions"), reps);
        form.addRow(4, new Label("Seed"), seed);

        Label error = new Label();
        error.setId("configError");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Button run = new Button("Run");
        run.setId("backendsRun");
        run.getStyleClass().add(Styles.ACCENT);
        run.disableProperty().bind(vm.runningProperty().or(vm.errorProperty().isNotEmpty()));
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("backendsCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("backendsStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        VBox left = new VBox(10, title, what, form, error, new HBox(8, run, cancel), status);
        left.setPrefWidth(345);
        left.setMinWidth(260);
        left.getStyleClass().add("page");

        HBox chartRow = new HBox(8);
        for (CategoryBarChart c : charts.values()) {
            Node n = c.node();
            HBox.setHgrow(n, Priority.ALWAYS);
            if (n instanceof javafx.scene.layout.Region r) {
                r.setPrefSize(330, 300);
            }
            chartRow.getChildren().add(n);
        }
        SplitPane right = new SplitPane(chartRow, table());
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.58);
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(280);
        root.setLeft(leftScroll);
        root.setCenter(right);
    }

    private static TextField field(String id, javafx.beans.property.StringProperty property) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(property);
        f.setPrefColumnCount(16);
        return f;
    }

    private TableView<BackendsResult.Row> table() {
        TableView<BackendsResult.Row> t = new TableView<>(vm.rows());
        t.setId("resultsTable");
        t.setPlaceholder(new Label("No results yet: press Run (Ctrl+R)."));
        t.getColumns().add(text("Backend", BackendsResult.Row::backend));
        t.getColumns().add(text("Device", BackendsResult.Row::device));
        t.getColumns().add(text("Kernel", BackendsResult.Row::kernel));
        t.getColumns().add(number("Size", r -> (double) r.size(), "%.0f"));
        t.getColumns().add(number("Best ms", BackendsResult.Row::bestMs, "%.3f"));
        t.getColumns().add(number("Throughput", BackendsResult.Row::throughput, "%.2f"));
        t.getColumns().add(text("Unit", BackendsResult.Row::unit));
        t.getColumns().add(number("Max error", BackendsResult.Row::maxError, "%.1e"));
        t.getColumns().add(text("Timing", r -> r.functionalOnly() ? "functional only" : "measured"));
        double[] widths = {70, 130, 65, 80, 80, 90, 80, 80, 100};
        for (int i = 0; i < widths.length; i++) {
            t.getColumns().get(i).setPrefWidth(widths[i]);
        }
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    private static TableColumn<BackendsResult.Row, String> text(String name,
            java.util.function.Function<BackendsResult.Row, String> f) {
        TableColumn<BackendsResult.Row, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
        return c;
    }

    private static TableColumn<BackendsResult.Row, Double> number(String name,
            java.util.function.Function<BackendsResult.Row, Double> f, String format) {
        TableColumn<BackendsResult.Row, Double> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(f.apply(cell.getValue())));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, format, v));
            }
        });
        return c;
    }

    /** Size label of a bar: 64Ki / 8Mi for vectors, n for GEMM. */
    static String sizeLabel(String kernel, int size) {
        if ("gemm".equals(kernel)) {
            return Integer.toString(size);
        }
        if (size >= (1 << 20) && size % (1 << 20) == 0) {
            return (size >> 20) + "Mi";
        }
        if (size >= (1 << 10) && size % (1 << 10) == 0) {
            return (size >> 10) + "Ki";
        }
        return Integer.toString(size);
    }

    private void updateCharts() {
        charts.values().forEach(CategoryBarChart::clear);
        for (BackendsResult.Row r : vm.rows()) {
            CategoryBarChart c = charts.get(r.kernel());
            if (c != null) {
                c.set(r.backend() + (r.functionalOnly() ? " (functional)" : ""), sizeLabel(r.kernel(), r.size()),
                        r.throughput());
            }
        }
    }

    /** The chart of one kernel (tests). */
    public CategoryBarChart chart(String kernel) {
        return charts.get(kernel);
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
        return vm.rows().isEmpty() ? Map.of() : Map.of("results", vm.rowsJson());
    }

    @Override
    public void restoreViewState(Map<String, String> state) {
        String results = state.get("results");
        if (results != null) {
            vm.loadRowsJson(results);
        } else {
            vm.rows().clear();
        }
    }

    @Override
    public Map<String, String> resultSummary() {
        return vm.summary();
    }

    @Override
    public List<ExportableChart> charts() {
        return List.copyOf(charts.values());
    }
}
