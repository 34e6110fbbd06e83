package org.mlsysworkbench.views.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingBench;
import org.mlsysworkbench.views.core.SnapshotPng;
import org.mlsysworkbench.views.core.TaskRunner;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** TestFX: run a small clustered config, toggle reorder, and see the heat map and the bytes change. */
@ExtendWith(ApplicationExtension.class)
class SamplingPageFxTest {

    private SamplingPage page;

    @Start
    void start(Stage stage) throws Exception {
        Path runs = Files.createTempDirectory("sampling-fx");
        WorkbenchServices services = new WorkbenchServices(Backend::cpu, TaskRunner.sameThread(), runs,
                new SimpleBooleanProperty(false));
        page = new SamplingPage(services, SamplingBench.definition());
        page.loadConfigJson(Json.write(SamplingViewModelTest.smallClustered()));
        // Monocle's headless screen is 1280 x 800, and the stage is shared with the tests before this one:
        // size it to this scene explicitly so that the whole page, Run button included, is on screen
        stage.setScene(new Scene((javafx.scene.Parent) page.node(), 1200, 760));
        stage.sizeToScene();
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    /**
     * Scrolls the form so that the node is on screen, then clicks it: the form is taller than the 760-pixel test
     * scene once the theme of an earlier test in the same JVM applies (its padding and fonts are larger), and
     * TestFX clicks only nodes inside the scene.
     */
    private static void clickInView(FxRobot robot, String query) {
        Node node = robot.lookup(query).query();
        robot.interact(() -> {
            for (Parent p = node.getParent(); p != null; p = p.getParent()) {
                if (p instanceof ScrollPane) {
                    ScrollPane sp = (ScrollPane) p;
                    double content = sp.getContent().getBoundsInLocal().getHeight();
                    double view = sp.getViewportBounds().getHeight();
                    double y = sp.getContent().sceneToLocal(node.localToScene(node.getBoundsInLocal())).getCenterY();
                    if (content > view) {
                        sp.setVvalue(Math.max(0, Math.min(1, (y - view / 2) / (content - view))));
                    }
                    sp.layout();
                    break;
                }
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(node);
    }

    @Test
    void togglingReorderChangesHeatmapAndBytes(FxRobot robot) throws Exception {
        robot.interact(() -> page.viewModel().epochsProperty().set("3"));
        clickInView(robot, "#samplingRun");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().resultProperty().get()).isNotNull();
        Label bytes = robot.lookup("#bytesMoved").queryAs(Label.class);
        String bytesBefore = bytes.getText();
        assertThat(bytesBefore).contains("MB");
        int k = page.viewModel().heatmapProperty().get().length;
        assertThat(k).isGreaterThan(5);
        double[] rowBefore = new double[k];
        for (int j = 0; j < k; j++) {
            rowBefore[j] = page.overlapChart().value(1, j);
        }
        assertThat(page.phaseChart().seriesCount()).isEqualTo(5);
        String run = page.viewModel().runLabelProperty().get();
        assertThat(page.edgesRateChart().seriesNames()).containsExactly(run);
        assertThat(page.seedsRateChart().seriesNames()).containsExactly(run);
        assertThat(page.edgesRateChart().series(run).size()).isEqualTo(3);

        clickInView(robot, "#reorder");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().reorderProperty().get()).isTrue();
        assertThat(bytes.getText()).isNotEqualTo(bytesBefore).contains("+ reorder");
        double[] rowAfter = new double[k];
        for (int j = 0; j < k; j++) {
            rowAfter[j] = page.overlapChart().value(1, j);
        }
        assertThat(rowAfter).isNotEqualTo(rowBefore);
        // the chain's row 1 is the batch that followed batch 0: its overlap with batch 0 is the largest there is
        double best = 0;
        double[][] before = page.viewModel().resultProperty().get().overlapBefore();
        for (int j = 1; j < k; j++) {
            best = Math.max(best, before[0][j]);
        }
        assertThat(page.overlapChart().value(0, 1)).isEqualTo(best);

        // a second configuration: one more stacked bar and one more line in each throughput chart
        clickInView(robot, "#samplingRun");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.phaseChart().categoryCount()).isEqualTo(2);
        assertThat(page.edgesRateChart().seriesNames()).hasSize(2).contains(run);
        assertThat(page.seedsRateChart().seriesNames()).hasSize(2);
        // for people to look at: the window as shown, and every chart (the scrolled-away ones too)
        Image[] shot = new Image[2];
        robot.interact(() -> {
            shot[0] = SnapshotPng.snapshot(page.node().getScene());
            shot[1] = SnapshotPng.snapshot(robot.lookup("#samplingCharts").query());
        });
        Path dir = Path.of(System.getProperty("screenshot.dir", "target/screenshots"));
        SnapshotPng.write(shot[0], dir.resolve("sampling-page.png"));
        SnapshotPng.write(shot[1], dir.resolve("sampling-charts.png"));
    }
}
