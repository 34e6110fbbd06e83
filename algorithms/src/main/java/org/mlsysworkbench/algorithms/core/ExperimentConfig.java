package org.mlsysworkbench.algorithms.core;

/**
 * An experiment's whole description, implemented by immutable records saved as JSON
 * ({@link Json}). Two runs of one config on the CPU backend write byte-identical {@code metrics.csv}.
 */
public interface ExperimentConfig {

    /** Version of the record's JSON layout; bumped when a field changes meaning. */
    int schemaVersion();

    /** Seed of every random draw in the run ({@link RunContext#random()}). */
    long seed();

    /**
     * Checks the values and returns this config, or throws {@link ConfigException} naming the
     * field and what was expected. The default accepts anything.
     */
    default ExperimentConfig validate() {
        return this;
    }
}
