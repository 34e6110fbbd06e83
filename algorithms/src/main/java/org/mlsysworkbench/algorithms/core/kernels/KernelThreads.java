package org.mlsysworkbench.algorithms.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of the plain-Java kernels (GEMM, sparse aggregation): one daemon pool owned by this
 * package, sized to the machine's cores (or {@code -Dworkbench.cpuThreads=N}). Work below a size threshold
 * runs on the caller's thread, because a fork costs microseconds.
 *
 * <p>Thread-safe. Nested calls from inside a pool thread run inline (no deadlock, no oversubscription).
 */
public final class KernelThreads {

    /** A range body: processes items {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Integer.getInteger("workbench.cpuThreads",
            Runtime.getRuntime().availableProcessors()));
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("workbench-kernel-" + COUNTER.incrementAndGet());
        t.setDaemon(true);
        return t;
    }, null, false);

    private KernelThreads() {
    }

    /** Number of worker threads the kernels use. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks.
     *
     * @param n         number of items
     * @param workItems rough cost of the whole range in multiply-adds; below about 200k it runs inline
     */
    public static void parallelFor(int n, long workItems, RangeBody body) {
        int parts = (int) Math.min(THREADS, Math.min(n, workItems / 200_000L));
        if (parts <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            body.run(0, n);
            return;
        }
        final int p = parts;
        POOL.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[p - 1];
                for (int t = 1; t < p; t++) {
                    final int from = (int) ((long) n * t / p);
                    final int to = (int) ((long) n * (t + 1) / p);
                    tasks[t - 1] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(from, to);
                        }
                    };
                    tasks[t - 1].fork();
                }
                body.run(0, (int) ((long) n / p));
                for (RecursiveAction task : tasks) {
                    task.join();
                }
            }
        });
    }
}
