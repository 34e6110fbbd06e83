package org.mlsysworkbench.views.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.trace.TraceBench;
import org.mlsysworkbench.algorithms.trace.TraceConfig;
import org.mlsysworkbench.algorithms.trace.TraceExperiment;
import org.mlsysworkbench.algorithms.trace.TraceResult;
import org.mlsysworkbench.views.core.TaskRunner;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.mlsysworkbench.views.core.charts.LiveXYChart;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The trace page on a headless stage: controls change the charts and the reproduction table fills. */
@ExtendWith(ApplicationExtension.class)
class TraceViewTest {

    private static TraceResult result;
    private TraceView view;

    @BeforeAll
    static void compute() {
        TraceConfig c = TraceConfig.defaults().withGenerated("Seren", 3000);
        result = new TraceExperiment().run(c, RunContext.inMemory(c.seed()));
    }

    @Start
    void start(Stage stage) throws Exception {
        Path runs = Files.createTempDirectory("trace-view-test");
        view = new TraceView(new WorkbenchServices(Backend::cpu, TaskRunner.sameThread(), runs,
                new SimpleBooleanProperty(false)), TraceBench.definition());
        view.viewModel().clusterProperty().set("Seren");
        view.viewModel().show(result);
        stage.setScene(new Scene((javafx.scene.Parent) view.node(), 1280, 800));
        stage.show();
    }

    private LiveXYChart chart(String name) {
        return (LiveXYChart) view.chartsByName().get(name);
    }

    @Test
    void groupingControlRedrawsTheDurationCdfs(FxRobot robot) {
        assertThat(chart("trace-duration-cdf").seriesNames()).containsExactly("GPU", "CPU");
        robot.clickOn("#grouping");
        robot.clickOn("JOB_TYPES");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.viewModel().groupingProperty().get()).isEqualTo(TraceViewModel.Grouping.JOB_TYPES);
        assertThat(chart("trace-duration-cdf").seriesNames()).contains("Eval", "Pretrain", "Debug")
                .doesNotContain("GPU");
        assertThat(chart("trace-queue-cdf").seriesNames()).contains("Eval");
    }

    @Test
    void reproductionTableAndSimulatorRespond(FxRobot robot) {
        robot.clickOn("Reproduction");
        TableView<?> table = robot.lookup("#reproductionTable").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(result.allRows().size());
        assertThat(table.getItems().size()).isGreaterThan(27);

        robot.clickOn("Fault tolerance");
        double before = chart("trace-goodput-vs-interval").series("Young/Daly").snapshot().x()[0];
        CheckBox async = robot.lookup("#asyncCheckpoints").queryAs(CheckBox.class);
        robot.clickOn(async);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(async.isSelected()).isTrue();
        double after = chart("trace-goodput-vs-interval").series("Young/Daly").snapshot().x()[0];
        assertThat(after).isLessThan(before / 3);
        assertThat(robot.lookup("#checkpointSummary").queryLabeled().getText()).contains("Young/Daly");
        assertThat(view.charts()).hasSize(10);
        assertThat(chart("trace-daily-submissions").series("jobs").size()).isGreaterThan(100);
        assertThat(chart("trace-gpu-utilisation-cdf").seriesNames()).containsExactly("Seren", "Kalos", "Philly", "PAI");
        assertThat(List.copyOf(view.viewState().keySet())).containsExactly("grouping", "sql");
    }
}
