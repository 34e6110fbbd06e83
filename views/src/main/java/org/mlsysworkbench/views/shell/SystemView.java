package org.mlsysworkbench.views.shell;

import atlantafx.base.theme.Styles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.mlsysworkbench.algorithms.core.DeviceInfo;

/** System: JVM, cores, memory, the backend in use and every device the app can see. */
final class SystemView extends ScrollPane {

    private final ShellViewModel vm;
    private final GridPane facts = new GridPane();
    private final TableView<DeviceInfo> devices = new TableView<>();

    SystemView(ShellViewModel vm) {
        this.vm = vm;
        setId("systemPage");
        setFitToWidth(true);
        Label title = new Label("System");
        title.getStyleClass().add(Styles.TITLE_2);
        facts.setHgap(16);
        facts.setVgap(4);
        facts.setId("systemFacts");
        Label devicesTitle = new Label("Devices");
        devicesTitle.getStyleClass().add("section-title");
        devices.setId("deviceTable");
        devices.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        devices.getColumns().add(column("Name", DeviceInfo::name, 320));
        devices.getColumns().add(column("Type", DeviceInfo::type, 90));
        devices.getColumns().add(column("Driver", DeviceInfo::driver, 260));
        devices.getColumns().add(column("Vulkan API", DeviceInfo::apiVersion, 90));
        devices.getColumns().add(column("Details", d -> new java.util.TreeMap<>(d.properties()).toString(), 300));
        devices.setPrefHeight(180);
        Button refresh = new Button("Refresh");
        refresh.setId("systemRefresh");
        refresh.setOnAction(e -> refresh());
        VBox page = new VBox(8, title, facts, devicesTitle, devices, refresh);
        page.getStyleClass().add("page");
        setContent(page);
        refresh();
        vm.backendTextProperty().addListener((obs, was, now) -> refresh());
    }

    private static TableColumn<DeviceInfo, String> column(String name,
            java.util.function.Function<DeviceInfo, String> f, double width) {
        TableColumn<DeviceInfo, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Facts shown, in order (also used by tests). */
    Map<String, String> facts() {
        Runtime rt = Runtime.getRuntime();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vendor") + ")");
        m.put("JavaFX", System.getProperty("javafx.runtime.version", "unknown"));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("CPU cores", Integer.toString(rt.availableProcessors()));
        m.put("Heap", mib(rt.totalMemory() - rt.freeMemory()) + " used of " + mib(rt.totalMemory())
                + ", max " + mib(rt.maxMemory()));
        m.put("Backend", vm.backend().id() + (vm.backend().functionalOnly() ? " (functional only)" : ""));
        m.put("Backend choices", String.join(", ", vm.context().backendSettings()));
        m.put("Device", vm.backend().device().name());
        m.put("Workbench home", vm.context().home().toString());
        m.put("Runs folder", vm.runsDir().toString());
        m.put("Log file", vm.context().logFile().toString());
        vm.context().versions().forEach((k, v) -> m.putIfAbsent(k, v));
        return m;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    private void refresh() {
        facts.getChildren().clear();
        int row = 0;
        for (Map.Entry<String, String> e : facts().entrySet()) {
            Label k = new Label(e.getKey());
            k.getStyleClass().add("fact-key");
            Label v = new Label(e.getValue());
            v.setWrapText(true);
            facts.addRow(row++, k, v);
        }
        List<DeviceInfo> list;
        try {
            list = vm.context().devices().get();
        } catch (RuntimeException e) {
            list = List.of(DeviceInfo.javaCpu());
            vm.setStatus("Could not list devices: " + e.getMessage());
        }
        devices.setItems(FXCollections.observableArrayList(list));
    }
}
