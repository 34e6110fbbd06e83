package org.mlsysworkbench.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.app.Benches;
import org.mlsysworkbench.views.backends.BackendsPage;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.SnapshotPng;
import org.mlsysworkbench.views.shell.ErrorDialogs;
import org.mlsysworkbench.views.shell.MainWindow;
import org.mlsysworkbench.views.shell.Settings;
import org.mlsysworkbench.views.shell.ShellViewModel;
import org.mlsysworkbench.views.shell.WorkbenchCommand;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window as the app wires it (real benches, examples and backends), in a temporary workbench home.
 * Every test saves screenshots in light and dark under target/screenshots.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchGuiTest {

    @TempDir
    Path home;
    private GuiAssembly.Assembled app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        System.setProperty("workbench.home", home.toString());
        this.stage = stage;
        app = GuiAssembly.open(stage, home);
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            app.close();
            for (Window w : new ArrayList<>(Window.getWindows())) {
                if (w != stage) {
                    ((Stage) w).close();
                }
            }
        });
    }

    private MainWindow window() {
        return app.window();
    }

    private ShellViewModel vm() {
        return app.viewModel();
    }

    @Test
    void shellOpensOnHomeWithEveryBenchInTheNavigation(FxRobot robot) throws Exception {
        @SuppressWarnings("unchecked")
        ListView<String> nav = robot.lookup("#navigation").queryAs(ListView.class);
        List<String> expected = new ArrayList<>();
        expected.add(ShellViewModel.HOME);
        GuiAssembly.benches().forEach(b -> expected.add(b.id()));
        expected.add(ShellViewModel.SYSTEM);
        assertThat(nav.getItems()).containsExactlyElementsOf(expected);
        assertThat(robot.lookup("#homePage").tryQuery()).isPresent();
        assertThat(robot.lookup("#statusBackend").queryLabeled().getText()).isEqualTo("Backend: cpu");
        assertThat(robot.lookup("#statusDevice").queryLabeled().getText()).startsWith("Device: CPU");
        assertThat(robot.lookup("#statusTasks").queryLabeled().getText()).isEqualTo("No tasks running");
        assertThat(robot.lookup("#example-backends-default").tryQuery()).isPresent();
        bothThemes(robot, "shell-home");
    }

    @Test
    void everyRegisteredPageOpens(FxRobot robot) throws Exception {
        List<String> pages = new ArrayList<>(List.of(ShellViewModel.HOME, ShellViewModel.SYSTEM));
        GuiAssembly.benches().forEach(b -> pages.add(b.id()));
        // every bench with a page is in the navigation; a bench whose page has not landed yet is CLI-only
        assertThat(GuiAssembly.benches()).extracting(org.mlsysworkbench.views.shell.ShellBench::id)
                .containsExactlyElementsOf(Benches.all().stream().filter(b -> b.page() != null)
                        .map(org.mlsysworkbench.app.Bench::id).toList());
        for (String id : pages) {
            robot.clickOn("#nav-" + id);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(vm().pageProperty().get()).isEqualTo(id);
            StackPane holder = robot.lookup("#pageHolder").queryAs(StackPane.class);
            assertThat(holder.getChildren()).hasSize(1);
            if (!ShellViewModel.HOME.equals(id) && !ShellViewModel.SYSTEM.equals(id)) {
                assertThat(holder.getChildren().get(0)).isSameAs(window().page(id).node());
                assertThat(robot.lookup("#runButton").queryButton().isDisabled()).isFalse();
            }
            if (ShellViewModel.SYSTEM.equals(id)) {
                assertThat(robot.lookup("#deviceTable").queryTableView().getItems()).isNotEmpty();
            }
            bothThemes(robot, "page-" + id);
        }
    }

    @Test
    void themeTogglesPersistsAndRecoloursCharts(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backends");
        BackendsPage page = (BackendsPage) window().page("backends");
        robot.clickOn("#themeButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm().darkModeProperty().get()).isTrue();
        assertThat(Application.getUserAgentStylesheet()).contains("primer-dark");
        assertThat(page.chart("gemm").isDark()).isTrue();
        assertThat(Files.readString(home.resolve("settings.json"))).contains("\"theme\" : \"dark\"");
        shot(robot, "theme-toggled-dark");
        robot.clickOn("#themeButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm().darkModeProperty().get()).isFalse();
        assertThat(Application.getUserAgentStylesheet()).contains("primer-light");
        assertThat(page.chart("gemm").isDark()).isFalse();
        shot(robot, "theme-toggled-light");
    }

    @Test
    void settingsDialogOpensAndCancelLeavesEverythingUnchanged(FxRobot robot) throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            robot.interact(() -> vm().apply(vm().settings().withTheme(dark ? Settings.DARK : Settings.LIGHT)));
            Settings before = vm().settings();
            String fileBefore = Files.readString(home.resolve("settings.json"));
            robot.clickOn("#settingsButton");
            WaitForAsyncUtils.waitForFxEvents();
            DialogPane pane = robot.lookup("#settingsDialog").queryAs(DialogPane.class);
            @SuppressWarnings("unchecked")
            ChoiceBox<String> theme = robot.lookup("#themeChoice").queryAs(ChoiceBox.class);
            robot.interact(() -> theme.setValue(dark ? Settings.LIGHT : Settings.DARK));
            robot.clickOn("#runsFolder").write("/tmp/elsewhere");
            saveImage(robot, () -> SnapshotPng.snapshot(pane.getScene()),
                    "settings-dialog-" + (dark ? "dark" : "light"));
            robot.clickOn((Button) pane.lookupButton(ButtonType.CANCEL));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#settingsDialog").tryQuery()).isEmpty();
            assertThat(vm().settings()).isEqualTo(before);
            assertThat(Files.readString(home.resolve("settings.json"))).isEqualTo(fileBefore);
        }
    }

    @Test
    void aWorkspaceSavesAndLoadsBackToTheSameState(FxRobot robot) throws Exception {
        robot.clickOn("#example-backends-default");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm().pageProperty().get()).isEqualTo("backends");
        BackendsPage page = (BackendsPage) window().page("backends");
        robot.interact(() -> {
            page.viewModel().saxpySizesProperty().set("4096, 65536");
            page.viewModel().gemmSizesProperty().set("24, 48");
            page.viewModel().sumSizesProperty().set("4096");
            page.viewModel().repetitionsProperty().set(2);
            page.viewModel().seedProperty().set("7");
            vm().colors().override("cpu", 4);
        });
        robot.clickOn("#runButton");
        // 5 rows per backend: the CPU, plus Vulkan when a device (lavapipe in CI) is available
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !page.viewModel().rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().rows().stream().filter(r -> r.backend().equals("cpu")).count()).isEqualTo(5);
        bothThemes(robot, "backends-results");
        String config = page.configJson();
        Map<String, String> view = page.viewState();
        double gemm48 = page.chart("gemm").value("cpu", "48");
        Path file = home.resolve("workspaces/round-trip.mlsw");
        robot.interact(() -> {
            try {
                window().saveWorkspace(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        robot.interact(() -> {
            window().openExample("backends", "large");
            page.restoreViewState(Map.of());
            vm().colors().clearOverride("cpu");
            vm().navigate(ShellViewModel.HOME);
        });
        assertThat(page.configJson()).isNotEqualTo(config);
        assertThat(page.chart("gemm").seriesCount()).isZero();
        assertThat(vm().recentFiles()).containsExactly(file.toAbsolutePath().toString());

        robot.interact(() -> window().openWorkspace(file));
        assertThat(vm().pageProperty().get()).isEqualTo("backends");
        assertThat(page.configJson()).isEqualTo(config);
        assertThat(page.viewState()).isEqualTo(view);
        assertThat(page.chart("gemm").value("cpu", "48")).isEqualTo(gemm48);
        assertThat(vm().colors().slot("cpu")).isEqualTo(4);
        long rows = page.viewModel().rows().size();   // 5 per backend
        assertThat(Files.readString(file)).contains("\"benchId\" : \"backends\"").contains("\"rows\" : \"" + rows + "\"");
    }

    @Test
    void questionMarkShowsEveryShortcutFromTheRegistry(FxRobot robot) throws Exception {
        robot.clickOn("#navigation");
        robot.write('?');
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window().isShortcutOverlayShown()).isTrue();
        List<String> expected = new ArrayList<>();
        for (WorkbenchCommand c : window().commands().withShortcuts()) {
            expected.add(c.shortcutText());
        }
        assertThat(window().shortcutOverlayEntries()).containsExactlyElementsOf(expected)
                .contains("Ctrl+R", "Esc", "?", "Ctrl+Shift+P");
        bothThemes(robot, "shortcuts-overlay");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window().isShortcutOverlayShown()).isFalse();
    }

    @Test
    void everyNonModalCommandRunsThroughItsId(FxRobot robot) throws Exception {
        // these open native file choosers or block in showAndWait; the other tests drive them through their dialogs
        Set<String> modal = Set.of("app.open-workspace", "app.save-workspace", "app.export-charts", "app.settings");
        List<String> ran = new ArrayList<>();
        for (WorkbenchCommand c : window().commands().all()) {
            if (modal.contains(c.id())) {
                continue;
            }
            robot.interact(() -> window().commands().execute(c.id()));
            ran.add(c.id());
            if (c.id().startsWith("app.toggle") || c.id().equals("app.shortcuts")
                    || c.id().equals("app.command-palette")) {
                robot.interact(() -> window().commands().execute(c.id()));   // toggle back
            }
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ran).contains("app.run", "app.cancel", "nav.home", "nav.system", "nav.bench.backends");
        assertThat(ran.size() + modal.size()).isEqualTo(window().commands().all().size());
        assertThat(vm().darkModeProperty().get()).isFalse();
        assertThat(robot.lookup("#aboutDialog").tryQuery()).isPresent();
        DialogPane about = robot.lookup("#aboutDialog").queryAs(DialogPane.class);
        assertThat(robot.lookup("#aboutText").queryLabeled().getText()).contains("AtlantaFX").contains("Java");
        saveImage(robot, () -> SnapshotPng.snapshot(about.getScene()), "about-light");
    }

    @Test
    void commandPaletteRunsACommandByName(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#commandPalette").query().isVisible()).isTrue();
        robot.write("go to system");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm().pageProperty().get()).isEqualTo(ShellViewModel.SYSTEM);
        assertThat(robot.lookup("#commandPalette").query().isVisible()).isFalse();
    }

    @Test
    void aBadFileGivesAnErrorNamingItAndChangesNothing(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backends");
        BenchPage page = window().page("backends");
        String before = page.configJson();
        Path bad = home.resolve("bad.json");
        Files.writeString(bad, "{\"schemaVersion\": 1, \"seed\": \"x\"}");
        robot.interact(() -> window().openFile(bad));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.configJson()).isEqualTo(before);
        assertThat(vm().statusProperty().get()).contains("bad.json");
        DialogPane error = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(error.getHeaderText()).contains("bad.json");
        assertThat(robot.lookup("#errorLogPath").queryLabeled().getText())
                .contains(GuiAssembly.logFile(home).toString());
        saveImage(robot, () -> SnapshotPng.snapshot(error.getScene()), "error-dialog-light");
    }

    @Test
    void uncaughtErrorDialogCarriesTheStackTraceAndLogPath(FxRobot robot) {
        Alert[] alert = new Alert[1];
        robot.interact(() -> alert[0] = ErrorDialogs.create("Unexpected error", new ConfigException("x", "y"),
                home.resolve("logs/workbench.log")));
        TextArea details = (TextArea) alert[0].getDialogPane().getExpandableContent().lookup("#errorDetails");
        assertThat(details.getText()).contains("ConfigException").contains("at org.mlsysworkbench");
    }

    // ---------------------------------------------------------------- screenshots

    private void bothThemes(FxRobot robot, String name) throws Exception {
        boolean wasDark = vm().darkModeProperty().get();
        for (boolean dark : new boolean[] {false, true}) {
            robot.interact(() -> vm().apply(vm().settings().withTheme(dark ? Settings.DARK : Settings.LIGHT)));
            WaitForAsyncUtils.waitForFxEvents();
            shot(robot, name + (dark ? "-dark" : "-light"));
        }
        robot.interact(() -> vm().apply(vm().settings().withTheme(wasDark ? Settings.DARK : Settings.LIGHT)));
    }

    private void shot(FxRobot robot, String name) throws Exception {
        Scene scene = stage.getScene();
        saveImage(robot, () -> SnapshotPng.snapshot(scene), name);
    }

    private static void saveImage(FxRobot robot, java.util.function.Supplier<Image> take, String name)
            throws Exception {
        Image[] img = new Image[1];
        robot.interact(() -> img[0] = take.get());
        Path file = Path.of(System.getProperty("screenshot.dir", "target/screenshots"), name + ".png");
        SnapshotPng.write(img[0], file);
        assertThat(file).isNotEmptyFile();
    }

}
