package org.mlsysworkbench.algorithms.trace;

import java.util.List;

/**
 * An infrastructure failure category of the paper's Table 3 (as compiled in the sheet's reading notes,
 * unverified): how many failed jobs it caused and its share of failed GPU time; whether it is a hang
 * (noticed only after a watchdog timeout) and whether it leaves a faulty node to isolate.
 *
 * @param name           error type as logged
 * @param jobs           failed jobs of this type
 * @param gpuTimeShare   share of all failed GPU time, percent
 * @param hang           detected only by the watchdog (no error line)
 * @param faultyNode     needs the two-round AllGather isolation and a cordon before restart
 */
public record FailureType(String name, int jobs, double gpuTimeShare, boolean hang, boolean faultyNode) {

    /** The infrastructure rows of Table 3: 281 jobs, 82.1 % of failed GPU time in all. */
    public static final List<FailureType> INFRASTRUCTURE = List.of(
            new FailureType("NVLinkError", 54, 30.25, false, true),
            new FailureType("CUDAError", 21, 15.77, false, true),
            new FailureType("NodeFailure", 16, 14.30, true, true),
            new FailureType("ECCError", 12, 11.00, false, true),
            new FailureType("NetworkError", 12, 4.53, false, false),
            new FailureType("ConnectionError", 147, 3.44, false, false),
            new FailureType("S3StorageError", 10, 2.12, false, false),
            new FailureType("NCCLTimeoutError", 6, 0.50, true, false),
            new FailureType("NCCLRemoteError", 3, 0.15, false, false));

    /** The framework rows (404 jobs, 14.7 %). */
    public static final List<FailureType> FRAMEWORK = List.of(
            new FailureType("DataloaderKilled", 6, 4.38, false, false),
            new FailureType("AttributeError", 67, 3.90, false, false),
            new FailureType("OutOfMemoryError", 14, 3.28, false, false),
            new FailureType("RuntimeError", 65, 1.72, false, false),
            new FailureType("AssertionError", 105, 1.24, false, false),
            new FailureType("ModelLoadingError", 104, 0.00, false, false));

    /** The script rows (1,890 jobs, 3.2 %). */
    public static final List<FailureType> SCRIPT = List.of(
            new FailureType("TypeError", 620, 0.06, false, false),
            new FailureType("FileNotFoundError", 568, 2.83, false, false),
            new FailureType("OSError", 266, 0.28, false, false),
            new FailureType("KeyError", 260, 0.01, false, false),
            new FailureType("ImportError", 111, 0.01, false, false));
}
