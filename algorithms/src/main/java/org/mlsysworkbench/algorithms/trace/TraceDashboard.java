package org.mlsysworkbench.algorithms.trace;

import java.util.List;
import java.util.Map;

/**
 * Every statistic the trace page shows, computed by {@link TraceStatistics#dashboard}. Durations are the
 * file's {@code duration} column (the paper's definition; it includes queueing when
 * {@link #durationIncludesQueueing()}); queueing is {@code start − submit}. Immutable.
 *
 * @param summary              the cluster-summary row recomputed from the jobs
 * @param durationCdfs         GPU and CPU job duration CDFs, then one per GPU job type (log2 bins, seconds)
 * @param runtimeCdfs          GPU and CPU execution-time ({@code end − start}) CDFs
 * @param queueCdfs            GPU and CPU queueing CDFs, then one per GPU job type
 * @param gpuDemandByJobs      CDF of GPU jobs over GPUs requested
 * @param gpuDemandByTime      CDF of GPU time over GPUs requested
 * @param gpuStates            GPU jobs per final state (states as written)
 * @param cpuStates            CPU jobs per final state
 * @param types                GPU jobs per workload type
 * @param failureBySize        GPU-job fail share per size bucket (jobShare = failed / jobs in the bucket)
 * @param topUsers             the users with the most GPU time, descending (at most 20)
 * @param userGpuTimeCdf       CDF of GPU time over users ranked by GPU time (x = user rank fraction × 100)
 * @param dailyJobs            per UTC day (x = days since the first submission): jobs submitted
 * @param dailyGpuHours        per UTC day: GPU-hours of the jobs submitted that day
 * @param hourOfDayJobs        jobs submitted per UTC hour of day (24 values)
 * @param durationIncludesQueueing  the "duration includes queueing" flag of the loaded trace
 */
public record TraceDashboard(ClusterSummary summary, List<Cdf> durationCdfs, List<Cdf> runtimeCdfs,
                             List<Cdf> queueCdfs, Cdf gpuDemandByJobs, Cdf gpuDemandByTime, List<Share> gpuStates,
                             List<Share> cpuStates, List<Share> types, List<Share> failureBySize,
                             List<Share> topUsers, Cdf userGpuTimeCdf, double[] dailyJobs, double[] dailyGpuHours,
                             double[] hourOfDayJobs, boolean durationIncludesQueueing) {

    public TraceDashboard {
        durationCdfs = List.copyOf(durationCdfs);
        runtimeCdfs = List.copyOf(runtimeCdfs);
        queueCdfs = List.copyOf(queueCdfs);
        gpuStates = List.copyOf(gpuStates);
        cpuStates = List.copyOf(cpuStates);
        types = List.copyOf(types);
        failureBySize = List.copyOf(failureBySize);
        topUsers = List.copyOf(topUsers);
        dailyJobs = dailyJobs.clone();
        dailyGpuHours = dailyGpuHours.clone();
        hourOfDayJobs = hourOfDayJobs.clone();
    }

    /** The named duration CDF ("GPU", "CPU" or a type), or null. */
    public Cdf durationCdf(String name) {
        return find(durationCdfs, name);
    }

    /** The named queueing CDF, or null. */
    public Cdf queueCdf(String name) {
        return find(queueCdfs, name);
    }

    private static Cdf find(List<Cdf> list, String name) {
        return list.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** The share of a category in a list, or null. */
    public static Share share(List<Share> shares, String category) {
        return shares.stream().filter(s -> s.category().equals(category)).findFirst().orElse(null);
    }

    /** Types by job count, for treemaps: type to share. */
    public Map<String, Double> typeJobShares() {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        types.forEach(s -> m.put(s.category(), s.jobShare()));
        return m;
    }
}
