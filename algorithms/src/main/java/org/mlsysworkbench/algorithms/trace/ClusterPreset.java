package org.mlsysworkbench.algorithms.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generator preset per cluster of {@code cluster_summary.csv}: where the shapes come from (figure
 * curves of the AcmeTrace release) and the few choices the published data leave open. Every target
 * number (counts, means, medians, maxima, state shares, GPU-time totals) is read from the published
 * summary row at generation time, never copied here.
 *
 * <p>Choices the data leave open, stated once:
 * <ul>
 *   <li>Seren's GPU type mix: Eval 64.9 % and Pretrain 0.9 % are the release treemap's shares; SFT, MLLM,
 *       Debug and Other (not published) are set so the mixture of the per-type duration curves has the
 *       summary's median (122 s; the release subset's own median is 134 s).</li>
 *   <li>Kalos' type mix is the release's type counts (Eval 18,471, Pretrain 641, Debug 537, Other 250,
 *       SFT 8; SFT has no curve and uses Other's).</li>
 *   <li>Philly, Helios and PAI publish no per-type curves and no queueing curves: their GPU jobs are one
 *       type, "Other", and queueing is a zero-inflated log-normal fitted to the published mean and median.</li>
 *   <li>PAI requests fractions of a GPU: below one GPU the preset uses 0.25 / 0.5 / 1 GPU in the ratio
 *       25 : 45 : 30 (not published; it gives the published median 0.5 and, with the curve above one GPU,
 *       the published mean); PAI's summary has no states, so its jobs get the state UNKNOWN, and its
 *       223,835 jobs beyond the GPU jobs (job_num ≠ cpu + gpu) get an empty gpu_num.</li>
 * </ul>
 */
public enum ClusterPreset {
    SEREN("Seren", 8, "2023-03-01 00:00:00+08:00", 184, false, mix("Eval", 0.649, "Pretrain", 0.009, "SFT", 0.030,
            "MLLM", 0.022, "Debug", 0.070, "Other", 0.220), true, 0.3, 2.0, 0, 2.0, 400),
    KALOS("Kalos", 0, "2023-05-17 00:00:00+00:00", 92, true, mix("Eval", 18471, "Pretrain", 641, "Debug", 537,
            "Other", 250, "SFT", 8), true, 0.0, 2.0, 0, 2.0, 150),
    PHILLY("Philly", 0, "2017-08-07 00:00:00+00:00", 140, false, mix("Other", 1), false, 0, 0, 0.1, 2.2, 300),
    HELIOS("Helios", 8, "2020-04-01 00:00:00+08:00", 183, false, mix("Other", 1), false, 0.6, 2.0, 0.55, 2.2, 2000),
    PAI("PAI", 8, "2020-07-01 00:00:00+08:00", 61, false, mix("Other", 1), false, 0, 0, 0.1, 2.2, 1000);

    private final String clusterId;
    private final int utcOffsetHours;
    private final String startTime;
    private final int spanDays;
    private final boolean durationIncludesQueueing;
    private final Map<String, Double> gpuTypeMix;
    private final boolean perTypeCurves;
    private final double cpuQueueZeroShare;
    private final double cpuQueueSigma;
    private final double gpuQueueZeroShare;
    private final double gpuQueueSigma;
    private final int users;

    ClusterPreset(String clusterId, int utcOffsetHours, String startTime, int spanDays,
                  boolean durationIncludesQueueing, Map<String, Double> gpuTypeMix, boolean perTypeCurves,
                  double cpuQueueZeroShare, double cpuQueueSigma, double gpuQueueZeroShare, double gpuQueueSigma,
                  int users) {
        this.clusterId = clusterId;
        this.utcOffsetHours = utcOffsetHours;
        this.startTime = startTime;
        this.spanDays = spanDays;
        this.durationIncludesQueueing = durationIncludesQueueing;
        this.gpuTypeMix = gpuTypeMix;
        this.perTypeCurves = perTypeCurves;
        this.cpuQueueZeroShare = cpuQueueZeroShare;
        this.cpuQueueSigma = cpuQueueSigma;
        this.gpuQueueZeroShare = gpuQueueZeroShare;
        this.gpuQueueSigma = gpuQueueSigma;
        this.users = users;
    }

    private static Map<String, Double> mix(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < kv.length; i += 2) {
            total += ((Number) kv[i + 1]).doubleValue();
        }
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue() / total);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The row name in {@code cluster_summary.csv}. */
    public String clusterId() {
        return clusterId;
    }

    /** The preset for a cluster name, case-insensitive. */
    public static ClusterPreset of(String name) {
        for (ClusterPreset p : values()) {
            if (p.clusterId.equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown cluster preset '" + name + "'");
    }

    /** The cluster's published summary row. */
    public ClusterSummary published() {
        return ClusterSummary.published().get(clusterId);
    }

    /** UTC offset of the written timestamps, seconds (Seren +08:00, Kalos +00:00). */
    public int utcOffsetSeconds() {
        return utcOffsetHours * 3600;
    }

    /** First submission time of generated traces, UTC epoch seconds. */
    public long startEpochS() {
        return AcmeTraceReader.parseUtcSeconds(startTime);
    }

    public int spanDays() {
        return spanDays;
    }

    /** True for Kalos: the duration column is {@code end − submit}. */
    public boolean durationIncludesQueueing() {
        return durationIncludesQueueing;
    }

    /** GPU job types and their shares of GPU jobs (sum 1). */
    public Map<String, Double> gpuTypeMix() {
        return gpuTypeMix;
    }

    /** True when duration and queueing come from per-type figure curves (Seren, Kalos). */
    public boolean perTypeCurves() {
        return perTypeCurves;
    }

    /** The figure series of a GPU job type's duration or queue curve ({@code Seren:Evaluation}, ...). */
    public String typeSeries(String type) {
        String label = switch (type) {
            case "Eval" -> "Evaluation";
            case "SFT" -> clusterId.equals("Kalos") ? "Other" : "SFT";
            default -> type;
        };
        return clusterId + ":" + label;
    }

    double cpuQueueZeroShare() {
        return cpuQueueZeroShare;
    }

    double cpuQueueSigma() {
        return cpuQueueSigma;
    }

    double gpuQueueZeroShare() {
        return gpuQueueZeroShare;
    }

    double gpuQueueSigma() {
        return gpuQueueSigma;
    }

    /**
     * Shift of Pretrain jobs' GPU-coupling score: how strongly pretraining takes the largest GPU requests.
     * Set (by hand, once) so generated Seren and Kalos traces give Pretrain roughly the release treemap's
     * share of GPU time (69.5 % and 95.5 %); 0 for clusters without job types. Overridable for tuning with
     * {@code -Dtrace.pretrainBoost}.
     */
    public double pretrainGpuBoost() {
        String override = System.getProperty("trace.pretrainBoost");
        if (override != null && perTypeCurves) {
            return Double.parseDouble(override);
        }
        return this == SEREN ? SEREN_PRETRAIN_BOOST : this == KALOS ? KALOS_PRETRAIN_BOOST : 0;
    }

    private static final double SEREN_PRETRAIN_BOOST = 2.0;
    private static final double KALOS_PRETRAIN_BOOST = 2.2;

    /** Number of distinct users drawn (Zipf-distributed activity). */
    public int users() {
        return users;
    }

    /** The job-id style of the cluster's scheduler: Slurm integers (Seren) or Kubernetes strings (Kalos). */
    boolean stringJobIds() {
        return this == KALOS || this == PAI;
    }
}
