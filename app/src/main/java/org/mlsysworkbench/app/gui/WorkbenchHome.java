package org.mlsysworkbench.app.gui;

import java.nio.file.Path;

/**
 * The workbench home folder: settings, logs, runs, workspaces. {@code ~/.mlsys-workbench} unless the
 * system property {@code workbench.home} names another folder (tests always use a temporary one).
 * {@code logback.xml} resolves the same property for the log file.
 */
public final class WorkbenchHome {

    public static final String PROPERTY = "workbench.home";

    private WorkbenchHome() {
    }

    public static Path resolve() {
        String dir = System.getProperty(PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".mlsys-workbench");
    }

    /** The log file logback writes (see logback.xml). */
    public static Path logFile(Path home) {
        return home.resolve("logs").resolve("workbench.log");
    }
}
