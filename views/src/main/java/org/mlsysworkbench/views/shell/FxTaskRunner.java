package org.mlsysworkbench.views.shell;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.views.core.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GUI's {@link TaskRunner}: each submission becomes a {@link javafx.concurrent.Task} on a daemon worker
 * thread, listed in {@link #tasks()} (the task panel shows them) while it runs. Cancel (from the panel,
 * the toolbar or a handle) sets the work's {@link CancellationToken}, so the work stops at its next
 * checkpoint (at most 100 ms of work apart, hence well within a second); the task turns CANCELLED at once
 * and {@code onFailure} receives a {@link CancelledException}. Callbacks run on the FX thread.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FxTaskRunner.class);

    private final ExecutorService pool;
    private final ObservableList<Task<?>> tasks = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);

    public FxTaskRunner() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "workbench-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = Executors.newCachedThreadPool(factory);
    }

    /** Tasks now running, oldest first (FX thread). */
    public ObservableList<Task<?>> tasks() {
        return tasks;
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Cancels every running task. */
    public void cancelAll() {
        for (Task<?> t : List.copyOf(tasks)) {
            t.cancel();
        }
    }

    @Override
    public <T> Handle submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        WorkbenchTask<T> task = new WorkbenchTask<>(title, work);
        task.setOnSucceeded(e -> {
            finished(task);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            finished(task);
            Throwable error = task.getException();
            if (!(error instanceof CancelledException)) {
                LOG.warn("task '{}' failed", title, error);
            }
            onFailure.accept(error);
        });
        task.setOnCancelled(e -> {
            finished(task);
            onFailure.accept(new CancelledException());
        });
        Runnable start = () -> {
            tasks.add(task);
            running.set(tasks.size());
            pool.execute(task);
        };
        if (Platform.isFxApplicationThread()) {
            start.run();
        } else {
            Platform.runLater(start);
        }
        return new Handle() {
            @Override
            public void cancel() {
                task.cancel();
            }

            @Override
            public boolean isDone() {
                return task.isDone();
            }
        };
    }

    private void finished(Task<?> task) {
        tasks.remove(task);
        running.set(tasks.size());
    }

    /** Cancels everything and stops the worker threads (app exit). */
    @Override
    public void close() {
        cancelAll();
        pool.shutdownNow();
    }

    /** A task that adapts the plain-Java work contract to JavaFX. */
    static final class WorkbenchTask<T> extends Task<T> {
        private final Work<T> work;
        private final CancellationToken token = new CancellationToken();

        WorkbenchTask(String title, Work<T> work) {
            this.work = work;
            updateTitle(title);
            updateMessage("waiting");
        }

        @Override
        protected T call() throws Exception {
            return work.run((fraction, message) -> {
                if (fraction < 0) {
                    updateProgress(-1, 1);
                } else {
                    updateProgress(Math.min(fraction, 1.0), 1.0);
                }
                updateMessage(message);
            }, token);
        }

        /** Sets the token first: the work sees it at its next checkpoint; no thread interrupt. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            token.cancel();
            return super.cancel(false);
        }

        boolean tokenCancelled() {
            return token.isCancelled();
        }
    }
}
