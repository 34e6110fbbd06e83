package org.mlsysworkbench.views.backends;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.backends.BackendsBench;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.views.core.SnapshotPng;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.ChartPalette;
import org.mlsysworkbench.views.shell.FxTaskRunner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Config -> experiment -> metrics -> chart -> export, driven through the page's own controls. */
@ExtendWith(ApplicationExtension.class)
class BackendsPageFxTest {

    @TempDir
    Path runs;
    private final SimpleBooleanProperty dark = new SimpleBooleanProperty(false);
    private final FxTaskRunner tasks = new FxTaskRunner();
    private BackendsPage page;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        page = new BackendsPage(new WorkbenchServices(Backend::cpu, tasks, runs, dark),
                BackendsBench.definition(List::of));
        stage.setScene(new Scene(new StackPane(page.node()), 1200, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        tasks.close();
    }

    @Test
    void runFillsTableAndChartsAndExportsThem(FxRobot robot) throws Exception {
        robot.interact(() -> {
            page.viewModel().saxpySizesProperty().set("65536, 262144");
            page.viewModel().gemmSizesProperty().set("32, 64");
            page.viewModel().sumSizesProperty().set("65536, 262144");
            page.viewModel().repetitionsProperty().set(2);
        });
        robot.clickOn("#backendsRun");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !page.viewModel().rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().rows()).hasSize(6);
        assertThat(page.chart("gemm").value("cpu", "64")).isEqualTo(page.viewModel().rows().stream()
                .filter(r -> r.kernel().equals("gemm") && r.size() == 64).findFirst().orElseThrow().throughput());
        assertThat(page.chart("saxpy").categoryCount()).isEqualTo(2);
        save(robot, "backends-page-light");

        robot.interact(() -> {
            Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
            dark.set(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.chart("gemm").chart().getBackgroundPaint()).isEqualTo(ChartPalette.DARK.background());
        save(robot, "backends-page-dark");
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));

        Path out = runs.resolve("export");
        robot.interact(() -> {
            try {
                org.mlsysworkbench.views.core.charts.ChartKit.exportAll(page.charts(), out, 150);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(out.resolve("backends-gemm-throughput.png")).isNotEmptyFile();
        assertThat(java.nio.file.Files.readAllLines(out.resolve("backends-gemm-throughput.csv")))
                .hasSize(3).first().isEqualTo("series,category,value");
    }

    @Test
    void anInvalidFieldDisablesRunAndSaysWhy(FxRobot robot) {
        robot.clickOn("#gemmSizes").eraseText(30).write("12x");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#backendsRun").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#configError").queryLabeled().getText()).contains("gemmSizes").contains("12x");
    }

    private void save(FxRobot robot, String name) throws Exception {
        javafx.scene.image.Image[] img = new javafx.scene.image.Image[1];
        robot.interact(() -> img[0] = SnapshotPng.snapshot(page.node().getScene()));
        SnapshotPng.write(img[0], Path.of(System.getProperty("screenshot.dir", "target/screenshots"), name + ".png"));
    }
}
