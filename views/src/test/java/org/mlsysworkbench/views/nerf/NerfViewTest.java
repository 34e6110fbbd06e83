package org.mlsysworkbench.views.nerf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.nerf.NerfBench;
import org.mlsysworkbench.views.core.TaskRunner;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class NerfViewTest {

    private NerfViewModel vm;
    private NerfView view;

    @Start
    void start(Stage stage) {
        vm = new NerfViewModel(NerfBench.definition(), TaskRunner.sameThread(), Backend::cpu, null);
        view = new NerfView(vm, ChartKit.standalone());
        stage.setScene(new Scene((javafx.scene.Parent) view.node(), 1200, 760));
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @AfterEach
    void stop() {
        view.stop();
        vm.close();
    }

    @Test
    void draggingTheImageOrbitsTheCameraAndChangesThePicture(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.presentedFrames() > 0);
        // wait for the full-resolution frame of the first request
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#nerfFrameInfo").queryLabeled()
                .getText().startsWith("full"));
        int[] before = robot.interact(() -> view.displayedPixels()) == null ? null : view.displayedPixels();
        long framesBefore = view.presentedFrames();
        double az = vm.azimuthProperty().get();
        robot.drag("#nerfImage").moveBy(120, 0).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.azimuthProperty().get()).isNotEqualTo(az);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.presentedFrames() > framesBefore
                && robot.lookup("#nerfFrameInfo").queryLabeled().getText().startsWith("full"));
        int[] after = view.displayedPixels();
        assertThat(after).isNotEqualTo(before);
        long differing = 0;
        for (int i = 0; i < after.length; i++) {
            differing += after[i] != before[i] ? 1 : 0;
        }
        // a 60-degree turn of the volume scene changes a large part of the picture
        assertThat(differing).isGreaterThan(after.length / 20);
    }

    @Test
    void energyConstantsFieldUpdatesTheCeilingLabel(FxRobot robot) {
        String before = robot.lookup("#nerfReduction").queryLabeled().getText();
        assertThat(before).contains("77.06");
        robot.interact(() -> vm.macPjProperty().set(4.6));
        assertThat(robot.lookup("#nerfReduction").queryLabeled().getText()).contains("ceiling 77.06 %");
    }

    @Test
    void theBudgetSliderSetsThePreviewShareAndGroundTruthSaysWhereItExists(FxRobot robot) {
        javafx.scene.control.Slider budget = robot.lookup("#nerfBudget").queryAs(javafx.scene.control.Slider.class);
        robot.interact(() -> budget.setValue(30));
        assertThat(vm.previewShareProperty().get()).isEqualTo(30);
        assertThat(robot.lookup("#nerfBudgetLabel").queryLabeled().getText()).contains("30 %");
        robot.interact(() -> vm.compareProperty().set(NerfViewModel.CompareMode.GROUND_TRUTH));
        javafx.scene.control.Label note = robot.lookup("#nerfTruthNote").queryAs(javafx.scene.control.Label.class);
        assertThat(note.isVisible()).isTrue();
        assertThat(note.getText()).contains("only at the data set's poses");
    }

    @Test
    void aShortRunChartsLossAndSsimAndShowsTheErrorAgainstGroundTruth(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.load(NerfViewModelTest.tiny());
            vm.fineIterationsProperty().set(100);
            vm.run();
        });
        assertThat(vm.resultProperty().get()).as(vm.statusProperty().get()).isNotNull();
        assertThat(view.loss.seriesNames()).contains("ann", "snn-tc", "snn-tp");
        // 100 fine steps evaluated every 25: four held-out SSIM points per variant, plus the coarse stage's
        assertThat(view.ssim.seriesNames()).contains("coarse", "ann", "snn-tc", "snn-tp");
        long before = view.presentedFrames();
        robot.interact(() -> {
            vm.splitProperty().set(0.5);
            vm.compareProperty().set(NerfViewModel.CompareMode.ERROR);
        });
        long generation = vm.generation();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.presentedFrames() > before
                && robot.lookup("#nerfFrameInfo").queryLabeled().getText().startsWith("full")
                && robot.lookup("#nerfFrameInfo").queryLabeled().getText().endsWith("gen " + generation));
        assertThat(robot.lookup("#nerfTruthNote").queryLabeled().getText()).contains("heat map");
        // for people to look at: the page after a short run, error split on
        javafx.scene.image.Image[] shot = new javafx.scene.image.Image[1];
        robot.interact(() -> shot[0] = org.mlsysworkbench.views.core.SnapshotPng.snapshot(view.node().getScene()));
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("screenshot.dir", "target/screenshots"));
        org.mlsysworkbench.views.core.SnapshotPng.write(shot[0], dir.resolve("nerf-page.png"));
    }
}
