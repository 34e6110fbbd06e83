package org.mlsysworkbench.algorithms.core;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Everything a running experiment may touch besides its config.
 *
 * @param random   the only source of randomness, seeded from the config's seed
 * @param progress progress reports, called from the worker thread
 * @param cancel   polled by the experiment; cancelled by the UI or CLI
 * @param metrics  streaming metrics
 * @param backend  where kernels run (plain-Java CPU or Vulkan)
 * @param outDir   the run folder for artifacts (PNG, CSV); may be null for in-memory runs
 */
public record RunContext(SplittableRandom random, ProgressListener progress, CancellationToken cancel,
                         MetricsSink metrics, Backend backend, Path outDir) {

    /** A context for tests and previews: CPU backend, no output folder, nothing recorded. */
    public static RunContext inMemory(long seed) {
        return new RunContext(new SplittableRandom(seed), ProgressListener.NONE, CancellationToken.none(),
                MetricsSink.NONE, Backend.cpu(), null);
    }

    /** The same context with another metrics sink. */
    public RunContext withMetrics(MetricsSink sink) {
        return new RunContext(random, progress, cancel, sink, backend, outDir);
    }

    /** Reports progress and throws if cancelled: the one call an inner loop needs. */
    public void checkpoint(double fraction, String message) {
        cancel.throwIfCancelled();
        progress.progress(fraction, message);
    }
}
