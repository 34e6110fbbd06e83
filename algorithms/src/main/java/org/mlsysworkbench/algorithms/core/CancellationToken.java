package org.mlsysworkbench.algorithms.core;

/** A cancel flag shared by the UI (or CLI) and a running experiment. Thread-safe. */
public final class CancellationToken {

    private volatile boolean cancelled;

    /** A token that is never cancelled, for tests and one-shot CLI calls. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} once {@link #cancel()} was called; call this in inner loops. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }
}
