package org.mlsysworkbench.views.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.application.Application;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;
import org.controlsfx.control.TaskProgressView;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.ChartKit;

/**
 * The workbench window: navigation (Home, each registered bench, System), toolbar (Run, Cancel, Open example,
 * Export), the page, the task panel and the status bar, plus the {@code ?} overlay and the command palette.
 * Generic: benches reach it only as {@link ShellBench} + {@link BenchPage}. FX thread only.
 */
public final class MainWindow {

    /** DPI of "Export all charts" PNGs. */
    public static final int EXPORT_DPI = 300;
    /** File extension of workspaces (JSON inside); the CLI opens a lone {@code .mlsw} argument in the GUI. */
    public static final String WORKSPACE_EXTENSION = ".mlsw";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ShellViewModel vm;
    private final FxTaskRunner tasks;
    private final CommandRegistry commands = new CommandRegistry();
    private final Map<String, BenchPage> pages = new LinkedHashMap<>();
    private final Map<String, Node> shellPages = new LinkedHashMap<>();
    private final BorderPane root = new BorderPane();
    private final StackPane pageHolder = new StackPane();
    private final ListView<String> nav = new ListView<>();
    private final ShortcutOverlay shortcutOverlay;
    private final CommandPalette palette;
    private final VBox taskPanel = new VBox();
    private final ToggleButton tasksToggle = new ToggleButton("Tasks");
    private final MenuButton exampleButton = new MenuButton("Open example");
    private final Button runButton = new Button("Run");
    private final Button cancelButton = new Button("Cancel");
    private final MenuButton exportButton = new MenuButton("Export");
    private Scene scene;

    public MainWindow(ShellViewModel vm, FxTaskRunner tasks) {
        this.vm = vm;
        this.tasks = tasks;
        registerCommands();
        shortcutOverlay = new ShortcutOverlay(commands);
        palette = new CommandPalette(commands);
        build();
    }

    public ShellViewModel viewModel() {
        return vm;
    }

    public CommandRegistry commands() {
        return commands;
    }

    public Parent root() {
        return root;
    }

    // ---------------------------------------------------------------- commands

    private void registerCommands() {
        commands.register("app.run", "Run the current bench", "Shortcut+R", this::runCurrent);
        commands.register("app.cancel", "Cancel running work", "Esc", this::cancelCurrent);
        commands.register("app.open-example", "Open the current bench's default example", "Shortcut+E",
                this::openDefaultExample);
        commands.register("app.export-charts", "Export all charts of the page", "Shortcut+Shift+E",
                this::exportChartsWithChooser);
        commands.register("app.open-workspace", "Open a workspace", "Shortcut+O", this::openWorkspaceWithChooser);
        commands.register("app.save-workspace", "Save the workspace", "Shortcut+S", this::saveWorkspaceWithChooser);
        commands.register("app.settings", "Settings", "Shortcut+Comma", this::openSettings);
        commands.register("app.toggle-theme", "Switch light / dark theme", "Shortcut+T", vm::toggleTheme);
        commands.register("app.toggle-tasks", "Show or hide the task panel", "Shortcut+J",
                () -> tasksToggle.setSelected(!tasksToggle.isSelected()));
        commands.register("app.shortcuts", "Show keyboard shortcuts", "?", () -> toggle(shortcutOverlay));
        commands.register("app.command-palette", "Command palette", "Shortcut+Shift+P", () -> toggle(palette));
        commands.register("app.about", "About MLSys Workbench", "F1", this::showAbout);
        commands.register("nav.home", "Go to Home", "Shortcut+H", () -> vm.navigate(ShellViewModel.HOME));
        commands.register("nav.system", "Go to System", "Shortcut+I", () -> vm.navigate(ShellViewModel.SYSTEM));
        int n = 1;
        for (ShellBench b : vm.context().benches()) {
            String key = n <= 9 ? "Shortcut+" + n : "";
            commands.register("nav.bench." + b.id(), "Go to " + b.title(), key, () -> vm.navigate(b.id()));
            n++;
        }
    }

    private void toggle(Node overlay) {
        boolean show = !overlay.isVisible();
        shortcutOverlay.setVisible(false);
        palette.setVisible(false);
        overlay.setVisible(show);
    }

    /** True while the {@code ?} overlay is shown. */
    public boolean isShortcutOverlayShown() {
        return shortcutOverlay.isVisible();
    }

    /** The shortcuts the overlay lists now. */
    public List<String> shortcutOverlayEntries() {
        return shortcutOverlay.shownShortcuts();
    }

    // ---------------------------------------------------------------- layout

    private void build() {
        root.getStyleClass().add("workbench-root");
        root.getStylesheets().add(MainWindow.class.getResource("shell.css").toExternalForm());
        root.setTop(toolbar());
        root.setLeft(navigation());
        pageHolder.setId("pageHolder");
        StackPane center = new StackPane(pageHolder, shortcutOverlay, palette);
        root.setCenter(center);
        root.setRight(taskPanel());
        root.setBottom(statusBar());
        vm.pageProperty().addListener((obs, was, now) -> show(now));
        show(vm.pageProperty().get());
        vm.darkModeProperty().addListener((obs, was, dark) -> applyTheme(dark));
        tasks.runningProperty().addListener((obs, was, now) -> {
            if (now.intValue() == 0 && vm.statusProperty().get().startsWith("Running")) {
                vm.setStatus("Finished: " + vm.statusProperty().get().substring("Running ".length())
                        .replace("…", "") + " (results on the page)");
            }
        });
        applyTheme(vm.darkModeProperty().get());
    }

    private ToolBar toolbar() {
        runButton.setId("runButton");
        runButton.setTooltip(new Tooltip("Run the current bench (Ctrl+R)"));
        runButton.setOnAction(e -> commands.execute("app.run"));
        cancelButton.setId("cancelButton");
        cancelButton.setTooltip(new Tooltip("Cancel running work (Esc)"));
        cancelButton.setOnAction(e -> commands.execute("app.cancel"));
        cancelButton.disableProperty().bind(tasks.runningProperty().isEqualTo(0));
        exampleButton.setId("exampleButton");
        exportButton.setId("exportButton");
        MenuItem exportCharts = new MenuItem("Export all charts… (Ctrl+Shift+E)");
        exportCharts.setId("exportChartsItem");
        exportCharts.setOnAction(e -> commands.execute("app.export-charts"));
        MenuItem save = new MenuItem("Save workspace… (Ctrl+S)");
        save.setOnAction(e -> commands.execute("app.save-workspace"));
        MenuItem open = new MenuItem("Open workspace… (Ctrl+O)");
        open.setOnAction(e -> commands.execute("app.open-workspace"));
        exportButton.getItems().addAll(exportCharts, new SeparatorMenuItem(), save, open);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button theme = new Button();
        theme.setId("themeButton");
        theme.textProperty().bind(Bindings.when(vm.darkModeProperty()).then("Light theme").otherwise("Dark theme"));
        theme.setOnAction(e -> commands.execute("app.toggle-theme"));
        Button settings = new Button("Settings");
        settings.setId("settingsButton");
        settings.setOnAction(e -> commands.execute("app.settings"));
        Button help = new Button("?");
        help.setId("helpButton");
        help.setTooltip(new Tooltip("Keyboard shortcuts (?)"));
        help.setOnAction(e -> commands.execute("app.shortcuts"));
        Button about = new Button("About");
        about.setId("aboutButton");
        about.setOnAction(e -> commands.execute("app.about"));
        ToolBar bar = new ToolBar(runButton, cancelButton, new Separator(Orientation.VERTICAL), exampleButton,
                exportButton, spacer, theme, settings, help, about);
        bar.setId("toolbar");
        return bar;
    }

    private ListView<String> navigation() {
        nav.setId("navigation");
        nav.getStyleClass().add("nav-list");
        nav.getItems().add(ShellViewModel.HOME);
        vm.context().benches().forEach(b -> nav.getItems().add(b.id()));
        nav.getItems().add(ShellViewModel.SYSTEM);
        nav.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(String id, boolean empty) {
                super.updateItem(id, empty);
                if (empty || id == null) {
                    setText(null);
                    setGraphic(null);
                    setId(null);
                    return;
                }
                Label icon = new Label(icon(id));
                icon.getStyleClass().add("nav-icon");
                setGraphic(icon);
                setText(title(id));
                setId("nav-" + id);
            }
        });
        nav.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now != null && !now.equals(vm.pageProperty().get())) {
                vm.navigate(now);
            }
        });
        return nav;
    }

    private String title(String id) {
        if (ShellViewModel.HOME.equals(id)) {
            return "Home";
        }
        if (ShellViewModel.SYSTEM.equals(id)) {
            return "System";
        }
        return vm.context().bench(id).title();
    }

    private String icon(String id) {
        if (ShellViewModel.HOME.equals(id)) {
            return "⌂";
        }
        if (ShellViewModel.SYSTEM.equals(id)) {
            return "ℹ";
        }
        return vm.context().bench(id).icon();
    }

    private VBox taskPanel() {
        taskPanel.getStyleClass().add("task-panel");
        taskPanel.setId("taskPanel");
        Label title = new Label("Tasks");
        title.getStyleClass().add("section-title");
        TaskProgressView<Task<?>> view = new TaskProgressView<>();
        view.setId("taskProgressView");
        VBox.setVgrow(view, Priority.ALWAYS);
        tasks.tasks().addListener((ListChangeListener<Task<?>>) c -> {
            while (c.next()) {
                for (Task<?> t : c.getAddedSubList()) {
                    view.getTasks().add(t);
                }
            }
        });
        taskPanel.getChildren().addAll(title, view);
        taskPanel.visibleProperty().bind(tasksToggle.selectedProperty().or(tasks.runningProperty().greaterThan(0)));
        taskPanel.managedProperty().bind(taskPanel.visibleProperty());
        return taskPanel;
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("statusBar");
        bar.textProperty().bind(vm.statusProperty());
        Label backend = new Label();
        backend.setId("statusBackend");
        backend.textProperty().bind(vm.backendTextProperty());
        Label device = new Label();
        device.setId("statusDevice");
        device.textProperty().bind(vm.deviceTextProperty());
        Label running = new Label();
        running.setId("statusTasks");
        running.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = tasks.runningProperty().get();
            return n == 0 ? "No tasks running" : n == 1 ? "1 task running" : n + " tasks running";
        }, tasks.runningProperty()));
        tasksToggle.setId("tasksToggle");
        bar.getRightItems().addAll(backend, new Separator(Orientation.VERTICAL), device,
                new Separator(Orientation.VERTICAL), running, tasksToggle);
        bar.setPadding(new Insets(2, 8, 2, 8));
        return bar;
    }

    private void show(String id) {
        Node content;
        if (ShellViewModel.HOME.equals(id)) {
            content = shellPages.computeIfAbsent(id, k -> new HomeView(vm, this::openExample, this::openFile));
        } else if (ShellViewModel.SYSTEM.equals(id)) {
            content = shellPages.computeIfAbsent(id, k -> new SystemView(vm));
        } else {
            content = page(id).node();
        }
        pageHolder.getChildren().setAll(content);
        if (!id.equals(nav.getSelectionModel().getSelectedItem())) {
            nav.getSelectionModel().select(id);
        }
        boolean bench = currentPage().isPresent();
        runButton.setDisable(!bench);
        // Primer's disabled accent button is nearly invisible: accent only while it can be pressed
        runButton.getStyleClass().remove(Styles.ACCENT);
        if (bench) {
            runButton.getStyleClass().add(Styles.ACCENT);
        }
        exportButton.getItems().get(0).setDisable(!bench);
        exampleButton.getItems().clear();
        ShellBench shown = bench ? vm.context().bench(id) : null;
        for (ShellBench b : vm.context().benches()) {
            if (shown != null && b != shown) {
                continue;
            }
            for (String ex : b.examples()) {
                MenuItem item = new MenuItem(b.title() + ": " + ex);
                item.setId("exampleItem-" + b.id() + "-" + ex);
                item.setOnAction(e -> openExample(b.id(), ex));
                exampleButton.getItems().add(item);
            }
        }
    }

    private void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        root.getStyleClass().removeAll("theme-light", "theme-dark");
        root.getStyleClass().add(dark ? "theme-dark" : "theme-light");
    }

    // ---------------------------------------------------------------- window

    /** Puts the window into {@code stage} (not shown yet): scene, shortcuts, drag-and-drop, title. */
    public Scene attach(Stage stage, double width, double height) {
        scene = new Scene(root, width, height);
        for (WorkbenchCommand c : commands.all()) {
            if (c.shortcut().length() > 1) {
                scene.getAccelerators().put(KeyCombination.valueOf(c.shortcut()), () -> safely(c));
            }
        }
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && (shortcutOverlay.isVisible() || palette.isVisible())) {
                shortcutOverlay.setVisible(false);
                palette.setVisible(false);
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if ("?".equals(e.getCharacter()) && !(scene.getFocusOwner() instanceof TextInputControl)) {
                commands.execute("app.shortcuts");
                e.consume();
            }
        });
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            if (!files.isEmpty()) {
                openFile(files.get(0).toPath());
            }
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
        stage.setTitle("MLSys Workbench");
        stage.setScene(scene);
        return scene;
    }

    private void safely(WorkbenchCommand c) {
        try {
            c.action().run();
        } catch (RuntimeException e) {
            error("Command " + c.id() + " failed", e);
        }
    }

    private Window window() {
        return scene == null ? null : scene.getWindow();
    }

    private void error(String header, Throwable e) {
        vm.setStatus(header + ": " + e.getMessage());
        ErrorDialogs.show(header, e, vm.context().logFile(), window());
    }

    // ---------------------------------------------------------------- pages

    /** The page of bench {@code id}, created on first use. */
    public BenchPage page(String id) {
        return pages.computeIfAbsent(id, k -> {
            ShellBench b = vm.context().bench(k);
            WorkbenchServices services = new WorkbenchServices(vm::backend, tasks, vm.runsDir(),
                    vm.darkModeProperty(), vm.colors());
            return b.page().create(services);
        });
    }

    /** The bench page shown now, if the current page is a bench. */
    public Optional<BenchPage> currentPage() {
        String id = vm.pageProperty().get();
        if (ShellViewModel.HOME.equals(id) || ShellViewModel.SYSTEM.equals(id)) {
            return Optional.empty();
        }
        return Optional.of(page(id));
    }

    private void runCurrent() {
        currentPage().ifPresentOrElse(p -> {
            vm.setStatus("Running " + title(p.benchId()) + "…");
            p.run();
        }, () -> vm.setStatus("Open a bench to run it"));
    }

    private void cancelCurrent() {
        currentPage().ifPresent(BenchPage::cancel);
        tasks.cancelAll();
        vm.setStatus("Cancelled");
    }

    /** Shows bench {@code benchId} with its example {@code name} loaded. */
    public void openExample(String benchId, String name) {
        try {
            String json = vm.context().examples().apply(benchId, name);
            vm.navigate(benchId);
            page(benchId).loadConfigJson(json);
            vm.setStatus("Opened example '" + name + "' of " + title(benchId) + ". Press Run (Ctrl+R).");
        } catch (RuntimeException e) {
            error("Cannot open example " + benchId + "/" + name, e);
        }
    }

    private void openDefaultExample() {
        String id = currentPage().map(BenchPage::benchId)
                .orElse(vm.context().benches().isEmpty() ? null : vm.context().benches().get(0).id());
        if (id != null && !vm.context().bench(id).examples().isEmpty()) {
            openExample(id, vm.context().bench(id).examples().get(0));
        }
    }

    // ---------------------------------------------------------------- files

    /** Saves the current bench page as a workspace file. */
    public void saveWorkspace(Path file) throws IOException {
        BenchPage p = currentPage().orElseThrow(() -> new IllegalStateException("no bench page is open"));
        WorkspaceStore.save(vm.capture(p), file);
        vm.rememberRecent(file);
        vm.setStatus("Saved workspace " + file);
    }

    /** Opens a workspace file: its bench, config, view state. Errors name the file and field. */
    public void openWorkspace(Path file) {
        Workspace w = WorkspaceStore.load(file);
        if (vm.context().benches().stream().noneMatch(b -> b.id().equals(w.benchId()))) {
            throw new ConfigException(file + ": benchId", "a bench of this build " + nav.getItems()
                    + ", got '" + w.benchId() + "'");
        }
        vm.restore(w, page(w.benchId()));
        vm.navigate(w.benchId());
        vm.rememberRecent(file);
        vm.setStatus("Opened workspace " + file);
    }

    /** Drag-and-drop and recent files: a workspace opens as such, a bare config goes into the current bench. */
    public void openFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (WorkspaceStore.isWorkspace(text)) {
                openWorkspace(file);
                return;
            }
            BenchPage p = currentPage().orElseThrow(() -> new ConfigException(file.toString(),
                    "a workspace file (with \"benchId\" and \"config\"); to load a bare config, open its bench first"));
            p.loadConfigJson(text);
            vm.setStatus("Loaded config " + file + " into " + title(p.benchId()));
        } catch (IOException e) {
            error("Cannot read " + file, e);
        } catch (RuntimeException e) {
            error("Cannot open " + file, e);
        }
    }

    /** Writes PNG (300 DPI), SVG and CSV of every chart of the current page into {@code folder}. */
    public List<Path> exportAllCharts(Path folder) throws IOException {
        BenchPage p = currentPage().orElseThrow(() -> new IllegalStateException("no bench page is open"));
        List<Path> files = ChartKit.exportAll(p.charts(), folder, EXPORT_DPI);
        vm.setStatus("Exported " + p.charts().size() + " charts (" + files.size() + " files) to " + folder);
        return files;
    }

    private Path workspaceDir() {
        Path dir = vm.context().home().resolve("workspaces");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return vm.context().home();
        }
        return dir;
    }

    private void saveWorkspaceWithChooser() {
        if (currentPage().isEmpty()) {
            vm.setStatus("Open a bench to save its workspace");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save workspace");
        chooser.setInitialDirectory(workspaceDir().toFile());
        chooser.setInitialFileName(currentPage().get().benchId() + "-" + LocalDateTime.now().format(STAMP)
                + WORKSPACE_EXTENSION);
        chooser.getExtensionFilters().add(
                new FileChooser.ExtensionFilter("Workspace (*.mlsw)", "*" + WORKSPACE_EXTENSION));
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            try {
                saveWorkspace(f.toPath());
            } catch (IOException | RuntimeException e) {
                error("Cannot save " + f, e);
            }
        }
    }

    private void openWorkspaceWithChooser() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open workspace");
        chooser.setInitialDirectory(workspaceDir().toFile());
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Workspace or config (*.mlsw, *.json)",
                        "*" + WORKSPACE_EXTENSION, "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            openFile(f.toPath());
        }
    }

    private void exportChartsWithChooser() {
        Optional<BenchPage> p = currentPage();
        if (p.isEmpty() || p.get().charts().isEmpty()) {
            vm.setStatus("This page has no charts to export");
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export all charts into folder");
        Path exports = vm.context().home().resolve("exports");
        try {
            Files.createDirectories(exports);
            chooser.setInitialDirectory(exports.toFile());
        } catch (IOException e) {
            // no initial folder then
        }
        File dir = chooser.showDialog(window());
        if (dir != null) {
            try {
                exportAllCharts(dir.toPath().resolve(p.get().benchId() + "-" + LocalDateTime.now().format(STAMP)));
            } catch (IOException | RuntimeException e) {
                error("Export failed", e);
            }
        }
    }

    // ---------------------------------------------------------------- dialogs

    /** The settings dialog, not shown (tests); {@link #openSettings} shows it and applies OK. */
    public SettingsDialog settingsDialog() {
        SettingsDialog d = new SettingsDialog(vm.settings(), vm.context().backendSettings(),
                vm.context().devices().get());
        if (window() != null) {
            d.initOwner(window());
        }
        return d;
    }

    private void openSettings() {
        settingsDialog().showAndWait().ifPresent(vm::apply);
    }

    /** The About dialog, not shown. */
    public Alert aboutDialog() {
        Alert about = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        about.setTitle("About MLSys Workbench");
        about.setHeaderText("MLSys Workbench");
        about.getDialogPane().setId("aboutDialog");
        List<String> lines = new ArrayList<>();
        vm.context().versions().forEach((k, v) -> lines.add(k + ": " + v));
        lines.add("Java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        lines.add("JavaFX: " + System.getProperty("javafx.runtime.version", "unknown"));
        lines.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        lines.add("Settings: " + vm.context().home().resolve("settings.json"));
        lines.add("Log file: " + vm.context().logFile());
        Label text = new Label(String.join("\n", lines));
        text.setId("aboutText");
        about.getDialogPane().setContent(text);
        if (window() != null) {
            about.initOwner(window());
        }
        return about;
    }

    private void showAbout() {
        aboutDialog().show();
    }
}
