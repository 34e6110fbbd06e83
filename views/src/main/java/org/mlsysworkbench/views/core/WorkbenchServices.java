package org.mlsysworkbench.views.core;

import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.RunColors;

/**
 * What a bench page may use, handed in by {@code app} (constructor injection, no globals).
 *
 * @param backend  the backend chosen in settings (CPU or Vulkan); read it when a run starts
 * @param tasks    runs long work off the FX thread
 * @param runsDir  where run folders go ({@code <runsDir>/<bench>/<timestamp>})
 * @param darkMode true while the dark theme is on; charts switch palettes with it
 * @param colors   the app-wide run colours, so a run has one colour in every view
 */
public record WorkbenchServices(Supplier<Backend> backend, TaskRunner tasks, Path runsDir,
                                ReadOnlyBooleanProperty darkMode, RunColors colors) {

    /** Services with their own run colours (tests, single pages). */
    public WorkbenchServices(Supplier<Backend> backend, TaskRunner tasks, Path runsDir,
                             ReadOnlyBooleanProperty darkMode) {
        this(backend, tasks, runsDir, darkMode, new RunColors());
    }

    /** The chart kit every chart of a page is built with: follows the theme, shares the run colours. */
    public ChartKit charts() {
        return new ChartKit(darkMode, colors);
    }
}
