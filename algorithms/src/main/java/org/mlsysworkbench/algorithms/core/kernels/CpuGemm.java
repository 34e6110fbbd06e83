package org.mlsysworkbench.algorithms.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The CPU GEMM of the codebase: {@code C = A * B}, float32, row-major, blocked for cache and split
 * over rows of C across the common pool. Deterministic: each C element is summed in the same order
 * whatever the thread count. Thread-safe (no shared state).
 */
public final class CpuGemm {

    private static final int BLOCK_K = 256;
    private static final int ROWS_PER_TASK = 16;

    private CpuGemm() {
    }

    /** C (m x n) = A (m x k) * B (k x n); C is overwritten. */
    public static void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (a.length < (long) m * k || b.length < (long) k * n || c.length < (long) m * n) {
            throw new IllegalArgumentException("gemm: arrays smaller than " + m + "x" + k + " * " + k + "x" + n);
        }
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if ((long) m * n * k < 64L * 64 * 64 || ForkJoinPool.getCommonPoolParallelism() < 2) {
            for (int t = 0; t < tasks; t++) {
                rows(t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), n, k, a, b, c);
            }
        } else {
            IntStream.range(0, tasks).parallel().forEach(t ->
                    rows(t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), n, k, a, b, c));
        }
    }

    /** Rows [r0, r1) of C: i-k-j loop order so the inner loop streams rows of B and C (auto-vectorised). */
    private static void rows(int r0, int r1, int n, int k, float[] a, float[] b, float[] c) {
        for (int i = r0; i < r1; i++) {
            java.util.Arrays.fill(c, i * n, i * n + n, 0f);
        }
        for (int k0 = 0; k0 < k; k0 += BLOCK_K) {
            int k1 = Math.min(k, k0 + BLOCK_K);
            for (int i = r0; i < r1; i++) {
                int ci = i * n;
                int ai = i * k;
                for (int p = k0; p < k1; p++) {
                    float av = a[ai + p];
                    if (av == 0f) {
                        continue;
                    }
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        }
    }
}
