package org.mlsysworkbench.algorithms.nerf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of worker threads owned by whoever creates it (closed with try-with-resources). Work is split
 * into chunks that workers claim in order; each worker gets its own index so it can use its own scratch space.
 */
public final class Parallel implements AutoCloseable {

    /** A chunk of work: items {@code [from, to)} run by worker {@code worker}. */
    @FunctionalInterface
    public interface Body {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /** {@code threads <= 0} means all available processors. */
    public Parallel(int threads) {
        this.threads = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "nerf-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, count)} in chunks of {@code chunk}; returns when all are done. */
    public void forEach(int count, int chunk, Body body) {
        if (pool == null || count <= chunk) {
            for (int s = 0; s < count; s += chunk) {
                body.run(0, s, Math.min(count, s + chunk));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            final int worker = w;
            futures.add(pool.submit(() -> {
                for (int s = next.getAndAdd(chunk); s < count; s = next.getAndAdd(chunk)) {
                    body.run(worker, s, Math.min(count, s + chunk));
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
