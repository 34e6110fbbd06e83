package org.mlsysworkbench.algorithms.backends;

import java.util.List;

/**
 * What the Backends bench measured.
 *
 * @param rows one per backend, kernel and size
 */
public record BackendsResult(List<Row> rows) {

    /**
     * One measured case.
     *
     * @param backend        backend id ("cpu", "vulkan")
     * @param device         device name
     * @param functionalOnly true on a CPU Vulkan driver: the time is not GPU speed
     * @param kernel         "saxpy", "gemm" or "sum"
     * @param size           elements (saxpy, sum) or n of n x n x n (gemm)
     * @param bestMs         fastest of the repetitions, milliseconds
     * @param throughput     GB/s (saxpy, sum) or GFLOP/s (gemm), from bestMs
     * @param unit           "GB/s" or "GFLOP/s"
     * @param maxError       max abs error against the plain-Java result (relative for sum)
     */
    public record Row(String backend, String device, boolean functionalOnly, String kernel, int size, double bestMs,
                      double throughput, String unit, double maxError) {
    }

    public BackendsResult {
        rows = List.copyOf(rows);
    }
}
