package org.mlsysworkbench.app.gui;

import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.stage.Stage;
import org.mlsysworkbench.views.shell.ErrorDialogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: builds the window in the workbench home and logs WORKBENCH_STARTED once shown. */
public final class WorkbenchApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchApp.class);
    private static final long STARTED_NANOS = System.nanoTime();
    private GuiAssembly.Assembled assembled;

    @Override
    public void start(Stage stage) {
        Path home = GuiAssembly.home();
        assembled = GuiAssembly.open(stage, home);
        ErrorDialogs.installUncaughtHandler(GuiAssembly.logFile(home), stage);
        stage.setOnShown(e -> LOG.info("WORKBENCH_STARTED in {} ms (home {})",
                (System.nanoTime() - STARTED_NANOS) / 1_000_000, home));
        stage.show();
        // `mlsys-workbench gui FILE.mlsw` (or a desktop file association) opens that workspace
        List<String> files = getParameters().getUnnamed();
        if (!files.isEmpty()) {
            assembled.window().openFile(Path.of(files.get(0)));
        }
    }

    @Override
    public void stop() {
        if (assembled != null) {
            assembled.close();
        }
    }
}
