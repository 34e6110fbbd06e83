package org.mlsysworkbench.views.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error dialogs: a one-line message, the stack trace behind "Show details", and the log file's path.
 * {@link #installUncaughtHandler} routes every uncaught exception here (and to the log); while one error
 * dialog is open, further errors only go to the log, so a failing loop cannot flood the screen.
 */
public final class ErrorDialogs {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorDialogs.class);
    private static Alert open;

    private ErrorDialogs() {
    }

    /** Sends uncaught exceptions of every thread to the log and to an error dialog. */
    public static void installUncaughtHandler(Path logFile, Window owner) {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            LOG.error("uncaught exception in thread {}", thread.getName(), error);
            Platform.runLater(() -> show("Unexpected error in " + thread.getName(), error, logFile, owner));
        });
    }

    /** Builds the dialog (not shown): tests look at it, {@link #show} shows it. */
    public static Alert create(String header, Throwable error, Path logFile) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("MLSys Workbench: error");
        alert.setHeaderText(header);
        String message = error instanceof ConfigException ? error.getMessage() : error.toString();
        Label text = new Label(message);
        text.setWrapText(true);
        Label log = new Label("Log file: " + logFile);
        log.setId("errorLogPath");
        log.getStyleClass().add("muted");
        VBox content = new VBox(8, text, log);
        content.setPrefWidth(560);
        alert.getDialogPane().setContent(content);
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        TextArea details = new TextArea(trace.toString());
        details.setId("errorDetails");
        details.setEditable(false);
        details.setWrapText(false);
        details.setPrefRowCount(14);
        VBox.setVgrow(details, Priority.ALWAYS);
        alert.getDialogPane().setExpandableContent(new VBox(details));
        alert.setResizable(true);
        return alert;
    }

    /** Shows an error (FX thread), unless another error dialog is still open. */
    public static void show(String header, Throwable error, Path logFile, Window owner) {
        if (!(error instanceof ConfigException)) {
            LOG.warn("{}", header, error);
        }
        if (open != null && open.isShowing()) {
            return;
        }
        Alert alert = create(header, error, logFile);
        if (owner != null && owner.isShowing()) {
            alert.initOwner(owner);
        }
        open = alert;
        alert.show();
    }
}
