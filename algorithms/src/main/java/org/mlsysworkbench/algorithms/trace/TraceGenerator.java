package org.mlsysworkbench.algorithms.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * Synthetic AcmeTrace-schema traces drawn from the published distributions of a cluster
 * ({@link ClusterPreset}). Shapes come from the release's figure curves; the sample is then calibrated so
 * that the statistics engine recomputes the cluster's {@code cluster_summary.csv} row:
 * <ol>
 *   <li>GPU-job durations: stratified draws per job type from the type's duration curve (Seren, Kalos) or
 *       the cluster's curve (median scaled to the published median); values above a pivot (at or above the
 *       75th percentile and every type median) are stretched by one factor to the published mean, and the
 *       longest job is pinned to the published maximum.</li>
 *   <li>Queueing: per-type queue curves, or a zero-inflated log-normal; median and mean calibrated the same
 *       way. When the duration column includes queueing (Kalos), queueing is rank-coupled to the duration
 *       and capped by it.</li>
 *   <li>GPUs per job: the job-count curve over GPU counts, tilted above one GPU
 *       ({@code p'(g) ∝ p(g)·g^θ}) to the published mean; paired with durations by a Gaussian rank coupling
 *       whose ρ is set by bisection so that the total GPU time matches the published total; Pretrain jobs'
 *       coupling score is shifted up ({@link ClusterPreset#pretrainGpuBoost()}) so the largest requests go
 *       to pretraining, as in the release's type treemap.</li>
 *   <li>Final states: a tilted model {@code P(s | w) ∝ a_s·w^b_s} on GPU time w, fitted to the published
 *       shares by count and by GPU time, realised by error diffusion in order of w (the few jobs that alone
 *       carry over 0.1 % of the GPU time are drawn first, in proportion to each state's remaining GPU time).</li>
 *   <li>CPU jobs the same way from the CPU duration curve and published CPU statistics.</li>
 * </ol>
 * Deterministic for a given seed. Stateless; thread-safe.
 */
public final class TraceGenerator {

    /** Longest queueing or CPU-job duration drawn when no maximum is published: 30 days. */
    static final double CAP_S = 30 * 86400.0;

    /** GPU-job states in the order of the summary columns. */
    static final String[] STATES = {"COMPLETED", "CANCELLED", "FAILED"};

    private TraceGenerator() {
    }

    /**
     * Generates {@code jobs} jobs for a preset.
     *
     * @param jobs number of jobs (1 .. {@value Sampling#MAX_ITEMS}); counts and GPU-time totals scale with
     *             {@code jobs / published job_num}
     */
    public static GeneratedTrace generate(ClusterPreset preset, int jobs, SplittableRandom rnd,
                                          CancellationToken cancel) {
        if (jobs < 1 || jobs > Sampling.MAX_ITEMS) {
            throw new IllegalArgumentException("jobs must be in 1.." + Sampling.MAX_ITEMS + ", got " + jobs);
        }
        ClusterSummary t = preset.published();
        FigureCurves curves = FigureCurves.bundled();
        double published = t.get(SummaryColumn.JOB_NUM);
        double scale = jobs / published;
        int nGpu = (int) Math.round(jobs * t.get(SummaryColumn.GPU_JOB_NUM) / published);
        double cpuNum = t.get(SummaryColumn.CPU_JOB_NUM);
        int nCpu = Double.isNaN(cpuNum) ? 0 : (int) Math.round(jobs * cpuNum / published);
        nGpu = Math.min(nGpu, jobs);
        nCpu = Math.min(nCpu, jobs - nGpu);
        int nUnknown = jobs - nGpu - nCpu;

        List<String> typeNames = new ArrayList<>(preset.gpuTypeMix().keySet());
        typeNames.add("CPU");
        int cpuType = typeNames.size() - 1;

        // GPU jobs: types and durations
        byte[] gType = new byte[nGpu];
        double[] gDur = new double[nGpu];
        int[] typeCounts = largestRemainder(preset.gpuTypeMix(), nGpu);
        double pivot = 0;
        int pos = 0;
        for (int k = 0; k < typeCounts.length; k++) {
            String type = typeNames.get(k);
            CdfCurve curve = preset.perTypeCurves()
                    ? curves.get("cdf_job_duration_queue", "duration", preset.typeSeries(type))
                    : curves.get("cdf_job_duration_util", "gpu_job_duration", preset.clusterId());
            double[] u = Sampling.stratified(typeCounts[k], rnd);
            for (int i = 0; i < u.length; i++) {
                gType[pos + i] = (byte) k;
                gDur[pos + i] = curve.quantile(u[i], t.get(SummaryColumn.MAX_RUN_TIME_GPU));
            }
            if (u.length > 0) {
                pivot = Math.max(pivot, 1.05 * Sampling.median(Arrays.copyOfRange(gDur, pos, pos + u.length)));
            }
            pos += u.length;
        }
        cancel.throwIfCancelled();
        if (!preset.perTypeCurves()) {
            scaleToMedian(gDur, t.get(SummaryColumn.MED_RUN_TIME_GPU));
        }
        pivot = Math.max(pivot, Sampling.quantile(gDur, 0.75));
        Sampling.calibrateMean(gDur, pivot, t.get(SummaryColumn.AVG_RUN_TIME_GPU),
                t.get(SummaryColumn.MAX_RUN_TIME_GPU), null, t.get(SummaryColumn.MAX_RUN_TIME_GPU));
        roundSeconds(gDur);

        // GPU jobs: queueing
        double[] gQueue = new double[nGpu];
        if (preset.perTypeCurves()) {
            pos = 0;
            for (int k = 0; k < typeCounts.length; k++) {
                CdfCurve curve = curves.get("cdf_job_duration_queue", "queue", preset.typeSeries(typeNames.get(k)));
                double[] u = Sampling.stratified(typeCounts[k], rnd);
                for (int i = 0; i < u.length; i++) {
                    gQueue[pos + i] = curve.quantile(u[i], CAP_S);
                }
                pos += u.length;
            }
        } else {
            fillZeroInflatedLogNormal(gQueue, preset.gpuQueueZeroShare(), preset.gpuQueueSigma(),
                    t.get(SummaryColumn.MED_QUE_TIME_GPU), rnd);
        }
        calibrateQueue(gQueue, gDur, gType, preset.durationIncludesQueueing(), t.get(SummaryColumn.AVG_QUE_TIME_GPU),
                rnd);
        cancel.throwIfCancelled();

        // GPU jobs: GPUs per job, coupled to duration for the published GPU-time total
        double[] gGpus = drawGpus(preset, t, curves, nGpu, rnd);
        double totalTarget = (t.get(SummaryColumn.COMPLETE_GPU_TIME) + t.get(SummaryColumn.CANCEL_GPU_TIME)
                + t.get(SummaryColumn.FAIL_GPU_TIME)) * scale;
        double[] boost = new double[nGpu];
        int pretrain = typeNames.indexOf("Pretrain");
        for (int i = 0; i < nGpu; i++) {
            boost[i] = gType[i] == pretrain ? preset.pretrainGpuBoost() : 0;
        }
        gGpus = coupleForTotal(gGpus, gDur, boost, totalTarget, rnd);
        cancel.throwIfCancelled();

        // GPU jobs: states
        byte[] gState = Double.isNaN(t.get(SummaryColumn.COMPLETE_RATE_GPU))
                ? filled(nGpu, (byte) 3)
                : StateAssigner.assign(gGpus, gDur, new double[] {t.get(SummaryColumn.COMPLETE_RATE_GPU),
                    t.get(SummaryColumn.CANCEL_RATE_GPU), t.get(SummaryColumn.FAIL_RATE_GPU)},
                    new double[] {t.get(SummaryColumn.COMPLETE_RATE_GPU_TIME), t.get(SummaryColumn.CANCEL_RATE_GPU_TIME),
                        t.get(SummaryColumn.FAIL_RATE_GPU_TIME)});

        // CPU jobs
        double[] cDur = new double[nCpu];
        double[] cQueue = new double[nCpu];
        byte[] cState = new byte[nCpu];
        if (nCpu > 0) {
            CdfCurve curve = curves.get("cdf_job_jobtime", "cpu_job_duration", preset.clusterId());
            double[] u = Sampling.stratified(nCpu, rnd);
            for (int i = 0; i < nCpu; i++) {
                cDur[i] = curve.quantile(u[i], CAP_S);
            }
            scaleToMedian(cDur, t.get(SummaryColumn.MED_RUN_TIME_CPU));
            Sampling.calibrateMean(cDur, Math.max(1, Sampling.quantile(cDur, 0.75)),
                    t.get(SummaryColumn.AVG_RUN_TIME_CPU), CAP_S, null, Double.NaN);
            roundSeconds(cDur);
            fillZeroInflatedLogNormal(cQueue, preset.cpuQueueZeroShare(), preset.cpuQueueSigma(),
                    t.get(SummaryColumn.MED_QUE_TIME_CPU), rnd);
            calibrateQueue(cQueue, cDur, new byte[nCpu], preset.durationIncludesQueueing(),
                    t.get(SummaryColumn.AVG_QUE_TIME_CPU), rnd);
            cState = exactShares(nCpu, new double[] {t.get(SummaryColumn.COMPLETE_RATE_CPU),
                t.get(SummaryColumn.CANCEL_RATE_CPU), t.get(SummaryColumn.FAIL_RATE_CPU)}, rnd);
        }
        cancel.throwIfCancelled();

        // jobs without a GPU request (PAI's job_num beyond cpu + gpu jobs)
        double[] uDur = new double[nUnknown];
        double[] uQueue = new double[nUnknown];
        if (nUnknown > 0) {
            CdfCurve curve = curves.get("cdf_job_duration_util", "gpu_job_duration", preset.clusterId());
            double[] u = Sampling.stratified(nUnknown, rnd);
            for (int i = 0; i < nUnknown; i++) {
                uDur[i] = curve.quantile(u[i], CAP_S);
            }
            roundSeconds(uDur);
            fillZeroInflatedLogNormal(uQueue, preset.gpuQueueZeroShare(), preset.gpuQueueSigma(),
                    t.get(SummaryColumn.MED_QUE_TIME_GPU), rnd);
            roundSeconds(uQueue);
        }

        // assemble: GPU jobs, CPU jobs, unknown jobs; then order by submission
        GeneratedTrace.Builder b = new GeneratedTrace.Builder(preset, jobs, typeNames);
        for (int i = 0; i < nGpu; i++) {
            b.add(gType[i], gGpus[i], gDur[i], gQueue[i], gState[i]);
        }
        for (int i = 0; i < nCpu; i++) {
            b.add((byte) cpuType, 0, cDur[i], cQueue[i], cState[i]);
        }
        byte otherType = (byte) Math.max(0, typeNames.indexOf("Other"));
        for (int i = 0; i < nUnknown; i++) {
            b.add(otherType, Double.NaN, uDur[i], uQueue[i], (byte) 3);
        }
        return b.finish(rnd);
    }

    static int[] largestRemainder(Map<String, Double> shares, int n) {
        int[] out = new int[shares.size()];
        double[] rem = new double[out.length];
        int k = 0;
        int used = 0;
        for (double s : shares.values()) {
            double exact = s * n;
            out[k] = (int) Math.floor(exact);
            rem[k] = exact - out[k];
            used += out[k];
            k++;
        }
        while (used < n) {
            int best = Sampling.argMax(rem);
            out[best]++;
            rem[best] = -1;
            used++;
        }
        return out;
    }

    private static void scaleToMedian(double[] v, double targetMedian) {
        double m = Sampling.median(v);
        if (Double.isNaN(targetMedian) || m <= 0) {
            return;
        }
        double f = targetMedian / m;
        for (int i = 0; i < v.length; i++) {
            v[i] *= f;
        }
    }

    private static void roundSeconds(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0, Math.rint(v[i]));
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }

    /**
     * Zero with probability {@code zeroShare}, else log-normal with log-sd {@code sigma}, scaled so the
     * overall median is {@code median} (for a median of zero the non-zero part has median 60 s).
     */
    private static void fillZeroInflatedLogNormal(double[] out, double zeroShare, double sigma, double median,
                                                  SplittableRandom rnd) {
        double[] u = Sampling.stratified(out.length, rnd);
        double scale;
        if (median <= 0 || zeroShare >= 0.5) {
            scale = 60;
        } else {
            double uMed = (0.5 - zeroShare) / (1 - zeroShare);
            scale = median / Math.exp(sigma * Sampling.inverseNormal(uMed));
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = u[i] < zeroShare ? 0
                    : Math.min(CAP_S, scale * Math.exp(sigma * Sampling.inverseNormal((u[i] - zeroShare)
                    / (1 - zeroShare))));
        }
    }

    /**
     * Calibrates queueing to the published mean. When the duration column includes queueing, queueing is
     * first rank-coupled to the duration within each job type (ρ = 0.8, so each type keeps its own queueing
     * curve) and then capped by it, job by job.
     */
    private static void calibrateQueue(double[] queue, double[] duration, byte[] type, boolean includedInDuration,
                                       double mean, SplittableRandom rnd) {
        double[] caps = null;
        if (includedInDuration) {
            int types = 0;
            for (byte b : type) {
                types = Math.max(types, b + 1);
            }
            for (int k = 0; k < types; k++) {
                int m = 0;
                for (byte b : type) {
                    m += b == k ? 1 : 0;
                }
                int[] idx = new int[m];
                m = 0;
                for (int i = 0; i < type.length; i++) {
                    if (type[i] == k) {
                        idx[m++] = i;
                    }
                }
                double[] q = new double[m];
                double[] d = new double[m];
                double[] eps = new double[m];
                for (int j = 0; j < m; j++) {
                    q[j] = queue[idx[j]];
                    d[j] = duration[idx[j]];
                    eps[j] = rnd.nextGaussian();
                }
                if (m == 0) {
                    continue;
                }
                double[] coupled = Sampling.couple(Sampling.ranks(d), Sampling.sortedDescending(q), 0.8, eps);
                for (int j = 0; j < m; j++) {
                    queue[idx[j]] = coupled[j];
                }
            }
            caps = duration;
        }
        double pivot = Math.max(2, Sampling.quantile(queue, 0.75));
        Sampling.calibrateMean(queue, pivot, mean, CAP_S, caps, Double.NaN);
        roundSeconds(queue);
        if (caps != null) {
            for (int i = 0; i < queue.length; i++) {
                queue[i] = Math.min(queue[i], caps[i]);
            }
        }
    }

    /** GPUs per GPU job: stratified draws from the tilted GPU-count distribution, largest pinned to the maximum. */
    private static double[] drawGpus(ClusterPreset preset, ClusterSummary t, FigureCurves curves, int n,
                                     SplittableRandom rnd) {
        GpuDemand demand = GpuDemand.forPreset(preset, t, curves);
        double[] u = Sampling.stratified(n, rnd);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = demand.quantile(u[i]);
        }
        if (n > 0) {
            g[Sampling.argMax(g)] = t.get(SummaryColumn.MAX_GPU);
        }
        return g;
    }

    /**
     * Pairs GPUs with durations; ρ by bisection so that Σ gpus·duration meets the target (if published).
     * The longest job (pinned to the published maximum) takes the smallest GPU request: in a scaled-down
     * trace one maximal job on many GPUs could otherwise hold more GPU time than the whole target.
     */
    private static double[] coupleForTotal(double[] gpus, double[] dur, double[] boost, double target,
                                           SplittableRandom rnd) {
        int n = gpus.length;
        double[] eps = new double[n];
        for (int i = 0; i < n; i++) {
            eps[i] = rnd.nextGaussian();
        }
        int[] ranks = Sampling.ranks(dur);
        double[] sorted = Sampling.sortedDescending(gpus);
        int top = n == 0 ? -1 : Sampling.argMax(dur);
        if (Double.isNaN(target) || n == 0) {
            return longestOnFewest(Sampling.couple(ranks, sorted, 0, eps, boost), top);
        }
        double lo = -0.5;
        double hi = 0.9999;
        double[] best = longestOnFewest(Sampling.couple(ranks, sorted, hi, eps, boost), top);
        if (total(best, dur) <= target) {
            return best;
        }
        for (int it = 0; it < 22; it++) {
            double mid = 0.5 * (lo + hi);
            double[] g = longestOnFewest(Sampling.couple(ranks, sorted, mid, eps, boost), top);
            if (total(g, dur) < target) {
                lo = mid;
            } else {
                hi = mid;
                best = g;
            }
        }
        return best;
    }

    private static double[] longestOnFewest(double[] g, int top) {
        if (top < 0) {
            return g;
        }
        int fewest = 0;
        for (int i = 1; i < g.length; i++) {
            if (g[i] < g[fewest]) {
                fewest = i;
            }
        }
        double t = g[top];
        g[top] = g[fewest];
        g[fewest] = t;
        return g;
    }

    static double total(double[] gpus, double[] dur) {
        double s = 0;
        for (int i = 0; i < gpus.length; i++) {
            s += gpus[i] * dur[i];
        }
        return s;
    }

    /** Exactly round(share·n) items per state (largest remainder), shuffled. */
    private static byte[] exactShares(int n, double[] shares, SplittableRandom rnd) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        for (int i = 0; i < shares.length; i++) {
            m.put(String.valueOf(i), shares[i] / sum);
        }
        int[] counts = largestRemainder(m, n);
        byte[] out = new byte[n];
        int p = 0;
        for (int s = 0; s < counts.length; s++) {
            for (int i = 0; i < counts[s]; i++) {
                out[p++] = (byte) s;
            }
        }
        Sampling.shuffle(out, rnd);
        return out;
    }
}
