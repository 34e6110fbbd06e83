package org.mlsysworkbench.algorithms.backends;

import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The Backends bench: which reference kernels to time, at which sizes, how often.
 *
 * @param saxpySizes  vector lengths for saxpy (elements)
 * @param gemmSizes   square matrix sizes n for n x n x n GEMM
 * @param sumSizes    vector lengths for the reduction
 * @param repetitions timed repetitions per case; the best (minimum) time is reported
 */
public record BackendsConfig(int schemaVersion, long seed, List<Integer> saxpySizes, List<Integer> gemmSizes,
                             List<Integer> sumSizes, int repetitions) implements ExperimentConfig {

    public static final int SCHEMA = 1;
    static final int MAX_VECTOR = 1 << 26;
    static final int MAX_GEMM = 4096;

    public BackendsConfig {
        saxpySizes = List.copyOf(saxpySizes);
        gemmSizes = List.copyOf(gemmSizes);
        sumSizes = List.copyOf(sumSizes);
    }

    /** Sizes that finish in a few seconds on 2 cores. */
    public static BackendsConfig defaults() {
        return new BackendsConfig(SCHEMA, 42, List.of(1 << 16, 1 << 20, 1 << 23), List.of(128, 256, 512),
                List.of(1 << 16, 1 << 20, 1 << 23), 5);
    }

    @Override
    public BackendsConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", "1, got " + schemaVersion);
        checkSizes("saxpySizes", saxpySizes, MAX_VECTOR);
        checkSizes("gemmSizes", gemmSizes, MAX_GEMM);
        checkSizes("sumSizes", sumSizes, MAX_VECTOR);
        ConfigException.require(repetitions >= 1 && repetitions <= 100, "repetitions",
                "1..100, got " + repetitions);
        return this;
    }

    private static void checkSizes(String field, List<Integer> sizes, int max) {
        for (int i = 0; i < sizes.size(); i++) {
            Integer s = sizes.get(i);
            ConfigException.require(s != null && s >= 1 && s <= max, field + "[" + i + "]",
                    "a size in 1.." + max + ", got " + s);
        }
    }
}
