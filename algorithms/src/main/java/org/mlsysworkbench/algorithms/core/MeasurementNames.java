package org.mlsysworkbench.algorithms.core;

import java.util.List;

/**
 * Wall-clock measurements are not reproducible, so they never enter {@code metrics.csv} (which must be
 * byte-identical for two runs of one config on the CPU backend). A series whose name ends in a time or
 * throughput unit is a measurement; {@link RunFolder} writes it to {@code timings.csv} instead.
 */
public final class MeasurementNames {

    /** Suffixes that mark a wall-clock measurement. */
    public static final List<String> SUFFIXES = List.of("_ms", "_s", "_ns", "_us", "_per_s", "_gbps", "_gflops",
            "_fps", "_rays_per_s", "_speedup_measured");

    private MeasurementNames() {
    }

    public static boolean isMeasurement(String series) {
        for (String s : SUFFIXES) {
            if (series.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
