package org.mlsysworkbench.algorithms.attention;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of daemon worker threads owned by one kernel object: {@link #forEach} hands out item indices
 * dynamically and passes each call its worker index, so callers can keep per-worker scratch and stay
 * allocation-free in inner loops. Closed by its owner.
 */
final class ParallelRunner implements AutoCloseable {

    /** The body of a parallel loop. */
    @FunctionalInterface
    interface Body {
        void run(int item, int worker);
    }

    private final int threads;
    private final ExecutorService pool;

    ParallelRunner(int threads) {
        this.threads = Math.max(1, threads);
        AtomicInteger n = new AtomicInteger();
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "attention-cpu-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} for items {@code 0 .. items-1}; the calling thread works too (worker 0). */
    void forEach(int items, Body body) {
        if (threads == 1 || items <= 1) {
            for (int i = 0; i < items; i++) {
                body.run(i, 0);
            }
            return;
        }
        if (pool.isShutdown()) {
            throw new IllegalStateException("kernels closed");
        }
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.min(threads, items) - 1;
        Future<?>[] futures = new Future<?>[helpers];
        for (int w = 1; w <= helpers; w++) {
            int worker = w;
            futures[w - 1] = pool.submit(() -> drain(next, items, body, worker));
        }
        RuntimeException failure = null;
        try {
            drain(next, items, body, 0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = new IllegalStateException("attention worker failed", e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void drain(AtomicInteger next, int items, Body body, int worker) {
        for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
            body.run(i, worker);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
