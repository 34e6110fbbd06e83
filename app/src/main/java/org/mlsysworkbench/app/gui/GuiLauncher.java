package org.mlsysworkbench.app.gui;

import javafx.application.Application;

/**
 * Starts the GUI (the CLI's default {@code gui} command calls this). Not itself an {@link Application}:
 * with JavaFX on the class path, a main class extending Application fails with "JavaFX runtime
 * components are missing". Blocks until the window is closed.
 */
public final class GuiLauncher {

    private GuiLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    /** Starts the GUI directly (screenshot scripts; users go through the CLI's default command). */
    public static void main(String[] args) {
        launch(args);
    }
}
