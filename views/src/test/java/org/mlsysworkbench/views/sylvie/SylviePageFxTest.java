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
        stage.setScene(new Scene(new StackPane(page.node()), 1200, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        tasks.close();
    }

    @Test
    void runningShowsVariantsBytesAndTheSimulationNote(FxRobot robot) throws Exception {
        robot.clickOn("#sylvieEpochs").eraseText(5).write("15");
        robot.interact(() -> page.viewModel().stalenessProperty().set("0, 2"));
        robot.clickOn("#sylvieRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !page.variants().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(page.variants()).extracting(v -> v.name()).containsExactly("FP32 sync", "1-bit S=0", "1-bit S=2");
        assertThat(page.variants().get(1).compression()).isGreaterThan(5);
        assertThat(robot.lookup(".label").queryAllAs(javafx.scene.control.Label.class).stream()
                .anyMatch(l -> l.getText() != null && l.getText().startsWith("Simulated cluster"))).isTrue();
        Thread.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.Image[] img = new javafx.scene.image.Image[1];
        robot.interact(() -> img[0] = SnapshotPng.snapshot(page.node().getScene()));
        SnapshotPng.write(img[0], Path.of(System.getProperty("screenshot.dir", "target/screenshots"),
                "sylvie-page.png"));
    }

    @Test
    void badFieldsAreNamedWithoutAToolkitRun() {
        SylvieViewModel vm = new SylvieViewModel(SylvieBench.definition(), TaskRunner.sameThread(), Backend::cpu, runs);
        vm.partsProperty().set("0");
        assertThat(vm.errorProperty().get()).contains("parts");
        vm.partsProperty().set("4");
        vm.bandwidthProperty().set("fast");
        assertThat(vm.errorProperty().get()).contains("bandwidthGbps").contains("fast");
    }
}
