package org.mlsysworkbench.views.a2q;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
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
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.graph.quant.A2qBench;
import org.mlsysworkbench.views.core.SnapshotPng;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.shell.FxTaskRunner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class A2qPageFxTest {

    /** The result before the second run. */
    private static final class A2qResultHolder {
        static org.mlsysworkbench.algorithms.graph.quant.A2qResult first;
    }

    @TempDir
    Path runs;
    private final FxTaskRunner tasks = new FxTaskRunner();
    private A2qPage page;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        page = new A2qPage(new WorkbenchServices(Backend::cpu, tasks, runs, new SimpleBooleanProperty(false)),
                A2qBench.definition());
        stage.setScene(new Scene(new StackPane(page.node()), 1280, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        tasks.close();
    }

    @Test
    void runningFillsTheTableChartsAndInspector(FxRobot robot) throws Exception {
        robot.clickOn("#a2qEpochs").eraseText(5).write("40");
        robot.interact(() -> page.viewModel().seedsProperty().set("1"));
        // GIN first (no graph-level study), then GCN with it: the screenshot shows GCN's bits, both models' points
        robot.interact(() -> page.viewModel().modelProperty().set("gin"));
        robot.interact(() -> page.viewModel().graphLevelProperty().set(false));
        robot.clickOn("#a2qRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !page.rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        A2qResultHolder.first = page.viewModel().resultProperty().get();
        robot.interact(() -> page.viewModel().modelProperty().set("gcn"));
        robot.interact(() -> page.viewModel().graphLevelProperty().set(true));
        robot.clickOn("#a2qRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                () -> page.viewModel().resultProperty().get() != A2qResultHolder.first);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.rows()).extracting(r -> r.name()).contains("FP32", "A2Q", "uniform 2-bit", "DQ INT4");
        assertThat(page.charts()).hasSize(5);
        assertThat(page.graphView().drawnNodes()).isBetween(50, 600);
        assertThat(page.bitsBox().boxes()).isGreaterThan(1);
        assertThat(page.bitsScatter().pointSeries()).as("one scatter series per class").isGreaterThan(1);
        assertThat(page.groups()).as("graph-level NNS group table (default config)").isNotEmpty();
        assertThat(robot.lookup("#a2qNnsSummary").queryLabeled().getText()).contains("unseen");
        // both models stay on the accuracy-vs-bits chart
        assertThat(page.viewModel().resultsByModel()).containsOnlyKeys("gin", "gcn");
        assertThat(robot.lookup("#a2qInspector").queryTextInputControl().getText()).contains("node 0");
        Thread.sleep(200);   // let the 30 Hz chart refresh draw the curves
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.Image[] img = new javafx.scene.image.Image[1];
        robot.interact(() -> img[0] = SnapshotPng.snapshot(page.node().getScene()));
        SnapshotPng.write(img[0], Path.of(System.getProperty("screenshot.dir", "target/screenshots"), "a2q-page.png"));
    }
}
