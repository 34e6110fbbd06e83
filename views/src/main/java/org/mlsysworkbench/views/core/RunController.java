package org.mlsysworkbench.views.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;

/**
 * Runs one bench's experiment from a ViewModel: into a new run folder under {@code runsDir/<bench>/}
 * (the same files as {@code mlsys-workbench run}), through the {@link TaskRunner}, with running / status /
 * last-run-folder properties to bind to. Live metrics reach {@code live} from the worker thread.
 * FX-thread object (its callbacks run there); no nodes.
 */
public final class RunController<C extends ExperimentConfig, R> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final BenchDefinition<C, R> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run (Ctrl+R).");
    private final ReadOnlyObjectWrapper<Path> lastRunDir = new ReadOnlyObjectWrapper<>();
    private TaskRunner.Handle handle;

    public RunController(BenchDefinition<C, R> bench, TaskRunner tasks, Supplier<Backend> backend, Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> lastRunDirProperty() {
        return lastRunDir.getReadOnlyProperty();
    }

    /** Sets the status line (for messages the ViewModel owns, such as a validation error). */
    public void setStatus(String text) {
        status.set(text);
    }

    /**
     * Starts a run of {@code config}; ignored while one runs.
     *
     * @param live     receives every metric as it is recorded (worker thread)
     * @param onResult receives the result on the FX thread
     */
    public void run(C config, MetricsSink live, Consumer<R> onResult) {
        if (running.get()) {
            return;
        }
        Path dir = runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        Backend b = backend.get();
        running.set(true);
        status.set("Running on " + b + "…");
        long t0 = System.nanoTime();
        handle = tasks.submit(bench.title() + ": " + b.id(),
                (progress, cancel) -> RunFolder.run(bench, config, dir, b, progress, cancel, live),
                outcome -> {
                    running.set(false);
                    lastRunDir.set(outcome.dir());
                    status.set(String.format(java.util.Locale.ROOT, "Finished in %.1f s on %s; files in %s",
                            (System.nanoTime() - t0) / 1e9, b, outcome.dir()));
                    onResult.accept(outcome.result());
                },
                failure -> {
                    running.set(false);
                    status.set(failure instanceof CancelledException ? "Cancelled." : "Failed: " + failure.getMessage());
                });
    }

    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }
}
