package org.mlsysworkbench.views.core;

import java.util.function.Consumer;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/**
 * Runs long work off the FX thread with progress, a message and Cancel (STYLE rule 19). The GUI's
 * implementation shows the task in the task panel; ViewModel tests use {@link #sameThread()}.
 * Callbacks ({@code onSuccess}, {@code onFailure}) run on the FX thread in the GUI.
 */
public interface TaskRunner {

    /** The work: plain Java, sees only a progress listener and a cancellation token. */
    @FunctionalInterface
    interface Work<T> {
        T run(ProgressListener progress, CancellationToken cancel) throws Exception;
    }

    /** A submitted task; {@link #cancel()} takes effect at the work's next checkpoint. */
    interface Handle {
        void cancel();

        boolean isDone();
    }

    <T> Handle submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs the work at once on the calling thread: for ViewModel tests without a toolkit. */
    static TaskRunner sameThread() {
        return new TaskRunner() {
            @Override
            public <T> Handle submit(String title, Work<T> work, Consumer<T> onSuccess,
                                     Consumer<Throwable> onFailure) {
                CancellationToken token = new CancellationToken();
                try {
                    onSuccess.accept(work.run(ProgressListener.NONE, token));
                } catch (Exception e) {
                    onFailure.accept(e);
                }
                return new Handle() {
                    @Override
                    public void cancel() {
                        token.cancel();
                    }

                    @Override
                    public boolean isDone() {
                        return true;
                    }
                };
            }
        };
    }
}
