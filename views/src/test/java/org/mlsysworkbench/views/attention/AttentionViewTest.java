package org.mlsysworkbench.views.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.views.core.TaskRunner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class AttentionViewTest {

    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private AttentionViewModel vm;
    private AttentionView view;

    /** Work on a worker thread, callbacks on the FX thread: the GUI's contract. */
    private TaskRunner background() {
        return new TaskRunner() {
            @Override
            public <T> Handle submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                CancellationToken token = new CancellationToken();
                var f = worker.submit(() -> {
                    try {
                        T r = work.run((p, m) -> { }, token);
                        Platform.runLater(() -> onSuccess.accept(r));
                    } catch (Exception e) {
                        Platform.runLater(() -> onFailure.accept(e));
                    }
                });
                return new Handle() {
                    @Override
                    public void cancel() {
                        token.cancel();
                    }

                    @Override
                    public boolean isDone() {
                        return f.isDone();
                    }
                };
            }
        };
    }

    @Start
    void start(Stage stage) {
        vm = new AttentionViewModel(background(), Backend::cpu, null, Platform::runLater);
        vm.load(AttentionViewModelTest.smoke());
        view = new AttentionView(vm, org.mlsysworkbench.views.core.charts.ChartKit.standalone());
        stage.setScene(new Scene((javafx.scene.Parent) view.node(), 1100, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private void awaitResult(FxRobot robot, int generation) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.generationProperty().get() >= generation
                && !vm.runningProperty().get() && vm.resultProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void changingTheBudgetRedrawsTheTimelineAndTheRecallChart(FxRobot robot) throws Exception {
        robot.clickOn("#attention-runButton");
        awaitResult(robot, 1);
        String before = robot.lookup("#attention-timelineSummary").queryAs(Label.class).getText();
        Image imageBefore = robot.lookup("#attention-timeline").queryAs(javafx.scene.image.ImageView.class)
                .getImage();
        assertThat(before).contains("96 steps");
        assertThat(view.recallChartBudget()).isEqualTo(48.0);
        assertThat(imageBefore).isNotNull();
        assertThat(robot.lookup("#attention-headSummary").queryAs(Label.class).getText())
                .contains("retrieval heads per layer");

        robot.doubleClickOn("#attention-budget .text-field").eraseText(4).write("80").type(KeyCode.ENTER);
        awaitResult(robot, 2);

        assertThat(vm.budgetTokensProperty().get()).isEqualTo(80);
        String after = robot.lookup("#attention-timelineSummary").queryAs(Label.class).getText();
        assertThat(after).isNotEqualTo(before);
        Image imageAfter = robot.lookup("#attention-timeline").queryAs(javafx.scene.image.ImageView.class)
                .getImage();
        assertThat(imageAfter).isNotSameAs(imageBefore);
        assertThat(differentPixels(imageBefore, imageAfter)).isGreaterThan(0);
        assertThat(view.recallChartBudget()).isEqualTo(80.0);
        assertThat(robot.lookup("#attention-status").queryAs(Label.class).getText()).contains("agreement");
        java.nio.file.Path shot = java.nio.file.Path.of(System.getProperty("screenshot.dir", "target/screenshots"),
                "attention.png");
        java.nio.file.Files.createDirectories(shot.getParent());
        Image snap = WaitForAsyncUtils.asyncFx(() -> org.mlsysworkbench.views.core.SnapshotPng.snapshot(
                robot.lookup("#attentionPage").query().getScene())).get(10, TimeUnit.SECONDS);
        org.mlsysworkbench.views.core.SnapshotPng.write(snap, shot);
        assertThat(java.nio.file.Files.size(shot)).isGreaterThan(1000);
    }

    @Test
    void choosingTheRecallModelShowsTheAblationPanelAboveTheHeadMap(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#attention-recallPanel").query().isVisible()).isFalse();
        robot.interact(() -> vm.selectModel(AttentionViewModel.RECALL_MODEL, null));
        assertThat(robot.lookup("#attention-modelChoice").queryAs(javafx.scene.control.ChoiceBox.class).getValue())
                .isEqualTo(AttentionViewModel.RECALL_MODEL);
        // a short evaluation (6 held-out sequences) keeps the test quick
        robot.interact(() -> {
            var r = vm.config();
            vm.load(new org.mlsysworkbench.algorithms.attention.AttentionConfig(r.schemaVersion(), r.seed(),
                    r.workload(), r.modelPath(), r.contextTokens(), r.streamingRatio(), r.sinkTokens(),
                    r.localTokens(), r.budgetTokens(), r.pageTokens(), r.logicalTokens(), r.reuseInterval(),
                    r.scorer(), r.calibrationTokens(), r.traceLayer(), r.traceHead(), java.util.List.of(64),
                    java.util.List.of(1), r.needleHeads(), r.needleHeadDim(), r.needleTrials(), r.needleLogit(), 6, 0));
        });
        robot.clickOn("#attention-runButton");
        awaitResult(robot, 1);
        assertThat(robot.lookup("#attention-recallPanel").query().isVisible()).isTrue();
        assertThat(robot.lookup("#attention-recallSummary").queryAs(Label.class).getText())
                .contains("Budget B = 64 of 256").contains("Int8 KV");
        assertThat(robot.lookup("#attention-headSummary").queryAs(Label.class).getText())
                .contains("training-free stand-in for DuoAttention gates");
    }

    private static int differentPixels(Image a, Image b) {
        int w = (int) Math.min(a.getWidth(), b.getWidth());
        int h = (int) Math.min(a.getHeight(), b.getHeight());
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (a.getPixelReader().getArgb(x, y) != b.getPixelReader().getArgb(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
