package org.mlsysworkbench.algorithms.core;

/**
 * One runnable technique: the single abstraction every bench shares (DESIGN.md).
 *
 * <p>An experiment reads only its config and the {@link RunContext}: all randomness comes from
 * {@code ctx.random()}, progress goes to {@code ctx.progress()}, numbers to {@code ctx.metrics()},
 * files to {@code ctx.outDir()}. It polls {@code ctx.cancel()} at least every 100 ms of work.
 * Implementations are stateless and thread-safe; one instance may run many configs.
 *
 * @param <C> the immutable config record
 * @param <R> the in-memory result the GUI shows (the files in {@code outDir} are the durable result)
 */
public interface Experiment<C extends ExperimentConfig, R> {

    /** Runs the experiment to completion, or throws {@link CancelledException} once cancelled. */
    R run(C config, RunContext ctx) throws CancelledException;
}
