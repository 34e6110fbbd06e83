package org.mlsysworkbench.views.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantBench;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.views.core.TaskRunner;
import org.mlsysworkbench.views.core.WorkbenchServices;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class CnnQuantPageTest {

    @TempDir
    static Path tmp;

    private CnnQuantPage page;

    @Start
    void start(Stage stage) {
        page = new CnnQuantPage(new WorkbenchServices(Backend::cpu, TaskRunner.sameThread(), tmp,
                new SimpleBooleanProperty(false)), CnnQuantBench.definition());
        stage.setScene(new Scene((javafx.scene.Parent) page.node(), 1200, 800));
        stage.show();
    }

    @Test
    void runFillsTheTablesChartsAndBrowser(FxRobot robot) throws Exception {
        String smoke = CnnQuantViewModelTest.smokeJson();
        robot.interact(() -> page.loadConfigJson(smoke));
        robot.clickOn("#cnnquantRun");
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#accuracyTable").queryAs(TableView.class);
        assertThat(table.getItems()).hasSizeGreaterThanOrEqualTo(9);
        assertThat(page.accuracyByMethodChart().value("accuracy", "FP32")).isGreaterThan(0);
        assertThat(page.accuracyByBitsChart().value("noise", "4/4")).isGreaterThanOrEqualTo(0);

        robot.interact(() -> robot.lookup("#cnnquantTabs").queryAs(TabPane.class).getSelectionModel().select(2));
        assertThat(page.galleryCount()).isEqualTo(16);
        robot.interact(() -> robot.lookup("#calibrationSet").queryAs(ChoiceBox.class).setValue("noise"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().calibrationSetProperty().get()).isEqualTo("noise");
        assertThat(page.galleryCount()).isEqualTo(16);

        robot.interact(() -> robot.lookup("#cnnquantTabs").queryAs(TabPane.class).getSelectionModel().select(1));
        robot.interact(() -> robot.lookup("#errorMethod").queryAs(ChoiceBox.class).setValue("Q-CNN"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.viewModel().errorMethodProperty().get()).isEqualTo("Q-CNN");
        assertThat(page.charts()).hasSize(7);
        assertThat(page.configJson()).contains("\"dataset\" : \"digits\"");
    }
}
