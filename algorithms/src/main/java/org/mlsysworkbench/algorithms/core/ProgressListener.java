package org.mlsysworkbench.algorithms.core;

/**
 * Receives progress from a running experiment, from its worker thread. The GUI adapts it to a
 * {@code javafx.concurrent.Task}, the CLI to a console bar. Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = (fraction, message) -> { };

    /**
     * @param fraction work done in [0, 1], or a negative value when unknown
     * @param message  one short line for the status bar
     */
    void progress(double fraction, String message);
}
