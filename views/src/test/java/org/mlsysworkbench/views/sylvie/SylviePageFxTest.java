package org.mlsysworkbench.views.sylvie;

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
import org.mlsysworkbench.algorithms.graph.distributed.SylvieBench;
import org.mlsysworkbench.views.core.SnapshotPng;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.GraphChart;
import org.mlsysworkbench.views.core.TaskRunner;
import org.mlsysworkbench.views.shell.FxTaskRunner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class SylviePageFxTest {

    @TempDir
    Path runs;
    private final FxTaskRunner tasks = new FxTaskRunner();
    private SylviePage page;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        page = new SylviePage(new WorkbenchServices(Backend::cpu, tasks, runs, new SimpleBooleanProperty(false)),
                SylvieBench.definition());
        // Monocle's headless screen is 1280 x 800 (a larger scene overflows its framebuffer); under -Dgui (Xvfb)
        // the screenshots get more room
        boolean headless = Boolean.getBoolean("testfx.headless");
        stage.setScene(new Scene(new StackPane(page.node()), headless ? 1280 : 1500, headless ? 800 : 940));
        stage.show();
    }

    @AfterEach
    void stop() {
        tasks.close();
    }

    @Test
    void runningShowsVariantsTimelinesAndThePartitionDrawing(FxRobot robot) throws Exception {
        robot.clickOn("#sylvieEpochs").eraseText(5).write("15");
        robot.interact(() -> {
            page.viewModel().stalenessProperty().set("0, 2");
            page.viewModel().scaleNodesProperty().set("3000");
            page.viewModel().scalePartsProperty().set("4");
        });
        robot.clickOn("#sylvieRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !page.variants().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.variants()).extracting(v -> v.name()).containsExactly("FP32 sync", "1-bit S=0", "1-bit S=2");
        assertThat(page.variants().get(0).pipelined()).isFalse();
        assertThat(page.variants().get(2).pipelined()).isTrue();
        assertThat(page.variants().get(1).compression()).isGreaterThan(5);
        assertThat(robot.lookup(".label").queryAllAs(javafx.scene.control.Label.class).stream()
                .anyMatch(l -> l.getText() != null && l.getText().startsWith("Simulated cluster"))).isTrue();
        // modelled Gantt charts: per worker (4 in the time study) one compute bar per layer and direction
        // (3 layers: 6 phases), and receive bars for the exchanged layers
        assertThat(page.ganttSynchronous().barCount(SylviePage.COMPUTE)).isEqualTo(4 * 6);
        assertThat(page.ganttPipelined().barCount(SylviePage.COMPUTE)).isEqualTo(4 * 6);
        assertThat(page.ganttPipelined().barCount(SylviePage.RECEIVE)).isPositive();
        // measured spans of the pipelined run: boundary rows computed after receipt, link work
        assertThat(page.measuredPipelined().barCount(SylviePage.M_BOUNDARY)).isPositive();
        assertThat(page.measuredPipelined().barCount(SylviePage.M_SEND)).isPositive();
        // the partition drawing: a sample of the graph, every node in one part, boundary nodes ringed
        GraphChart g = page.graphChart();
        assertThat(g.nodeCount()).isBetween(500, 2000);
        int drawn = 0;
        for (int p = 0; p < 4; p++) {
            assertThat(g.groupSize(p)).as("part %d", p).isPositive();
            drawn += g.groupSize(p);
        }
        assertThat(drawn).isEqualTo(g.nodeCount());
        assertThat(g.markedCount()).isPositive().isLessThan(g.nodeCount());
        Thread.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        shoot(robot, "sylvie-page");
        for (String tab : new String[] {"Timeline", "Partition"}) {
            robot.interact(() -> {
                javafx.scene.control.TabPane tabs = (javafx.scene.control.TabPane) page.node().lookup("#sylvieChartTabs");
                tabs.getTabs().stream().filter(t -> t.getText().equals(tab)).findFirst()
                        .ifPresent(t -> tabs.getSelectionModel().select(t));
            });
            Thread.sleep(300);
            WaitForAsyncUtils.waitForFxEvents();
            shoot(robot, "sylvie-" + tab.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void shoot(FxRobot robot, String name) throws Exception {
        javafx.scene.image.Image[] img = new javafx.scene.image.Image[1];
        robot.interact(() -> img[0] = SnapshotPng.snapshot(page.node().getScene()));
        SnapshotPng.write(img[0], Path.of(System.getProperty("screenshot.dir", "target/screenshots"), name + ".png"));
    }

    @Test
    void badFieldsAreNamedWithoutAToolkitRun() {
        SylvieViewModel vm = new SylvieViewModel(SylvieBench.definition(), TaskRunner.sameThread(), Backend::cpu, runs);
        vm.partsProperty().set("0");
        assertThat(vm.errorProperty().get()).contains("parts");
        vm.partsProperty().set("4");
        vm.bandwidthProperty().set("fast");
        assertThat(vm.errorProperty().get()).contains("bandwidthGbps").contains("fast");
        vm.bandwidthProperty().set("10");
        vm.warmupEpochsProperty().set("-1");
        assertThat(vm.errorProperty().get()).contains("warmupEpochs");
        vm.warmupEpochsProperty().set("5");
        vm.lossRiseFallbackProperty().set(true);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.config()).get().satisfies(c -> {
            assertThat(c.warmupEpochs()).isEqualTo(5);
            assertThat(c.lossRiseFallback()).isTrue();
        });
    }
}
