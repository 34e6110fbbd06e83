package org.mlsysworkbench.algorithms.core;

/**
 * A benchmark run by {@code mlsys-workbench bench <id>}: measures ratios in one run on one backend
 * (sparse/dense, GPU/CPU, reordered/plain) and reports rows. Never part of {@code mvn verify}.
 */
public interface BenchmarkSuite {

    /** Suite id on the command line. */
    String id();

    /** One sentence for {@code bench --list}. */
    String description();

    /**
     * Runs the suite.
     *
     * @param quick smaller sizes, for a smoke run (seconds rather than minutes)
     */
    void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel);
}
