package org.mlsysworkbench.algorithms.core;

/** Thrown by an experiment that stopped because its {@link CancellationToken} was cancelled. */
public final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled");
    }
}
