package org.mlsysworkbench.views.core;

import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.mlsysworkbench.algorithms.core.Backend;

/**
 * What a bench page may use, handed in by {@code app} (constructor injection, no globals).
 *
 * @param backend  the backend chosen in settings (CPU or Vulkan); read it when a run starts
 * @param tasks    runs long work off the FX thread
 * @param runsDir  where run folders go ({@code <runsDir>/<bench>/<timestamp>})
 * @param darkMode true while the dark theme is on; charts switch palettes with it
 */
public record WorkbenchServices(Supplier<Backend> backend, TaskRunner tasks, Path runsDir,
                                ReadOnlyBooleanProperty darkMode) {
}
