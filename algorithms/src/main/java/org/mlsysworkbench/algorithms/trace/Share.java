package org.mlsysworkbench.algorithms.trace;

/**
 * One category's part of a trace, by count and by GPU time.
 *
 * @param category      state, type, user or size bucket
 * @param jobs          number of jobs
 * @param jobShare      jobs / all jobs considered, 0..1
 * @param gpuSeconds    GPU time of those jobs (GPU-seconds)
 * @param gpuTimeShare  GPU time / all GPU time considered, 0..1
 */
public record Share(String category, long jobs, double jobShare, double gpuSeconds, double gpuTimeShare) {
}
