package org.mlsysworkbench.algorithms.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fault-tolerant pretraining simulator (paper §6.1): one job on many nodes over a wall-clock window,
 * infrastructure failures as a Poisson process per node with types drawn from Table 3's counts, periodic
 * checkpoints (blocking, or asynchronous: a short blocking copy to host memory, then an upload that must
 * finish before the checkpoint counts), detection (immediate on an error line, after the watchdog on a
 * hang), diagnosis by rule / LLM analyst / on-call human, two-round AllGather isolation of a faulty node,
 * and restart from the newest durable checkpoint.
 *
 * <p>Goodput (ETTR) = useful training time / wall time. The failure times depend only on the seed, not on
 * the checkpoint interval, so sweeps over the interval use common random numbers and give smooth curves.
 * Young/Daly: {@code τ* ≈ √(2·δ·MTBF)} with δ the blocking checkpoint time and MTBF the job's mean time
 * between failures. Stateless; thread-safe.
 */
public final class CheckpointSimulator {

    /** One kind of segment of the simulated timeline. */
    public enum Phase { TRAIN, CHECKPOINT, LOST, DETECT, DIAGNOSE, ISOLATE, RESTART }

    /** A timeline segment, wall-clock hours. */
    public record Segment(Phase phase, double startH, double endH, String note) {
    }

    /**
     * The simulator's parameters (times in minutes unless named otherwise).
     *
     * @param nodes                nodes of 8 GPUs the job runs on
     * @param wallDays             simulated wall-clock window
     * @param nodeMtbfHours        mean time between infrastructure failures of one node
     * @param intervalMin          checkpoint interval (training time between checkpoints)
     * @param syncCheckpointMin    blocking time of a synchronous checkpoint
     * @param asynchronous         asynchronous checkpoints (copy to host RAM, background upload)
     * @param asyncSpeedup         k: the blocking copy takes syncCheckpointMin / k (the paper reports 3.6-58.7)
     * @param uploadMin            background upload time of an asynchronous checkpoint
     * @param automaticDiagnosis   rules and the LLM analyst diagnose first; otherwise a human does
     * @param ruleHitRate          probability that a rule recognises the failure's log (0..1)
     * @param llmSuccessRate       probability that the LLM analyst finds the cause when no rule does
     * @param watchdogMin          hang detection timeout
     * @param ruleDiagnosisMin     diagnosis time of a rule hit
     * @param llmDiagnosisMin      diagnosis time of the LLM analyst
     * @param manualDiagnosisMin   time for a human on call to diagnose
     * @param allGatherRoundMin    one NCCL AllGather test round
     * @param restartMin           rescheduling and start-up
     * @param loadCheckpointMin    loading the checkpoint on restart
     */
    public record Params(int nodes, double wallDays, double nodeMtbfHours, double intervalMin,
                         double syncCheckpointMin, boolean asynchronous, double asyncSpeedup, double uploadMin,
                         boolean automaticDiagnosis, double ruleHitRate, double llmSuccessRate, double watchdogMin,
                         double ruleDiagnosisMin, double llmDiagnosisMin, double manualDiagnosisMin,
                         double allGatherRoundMin, double restartMin, double loadCheckpointMin) {

        /** "Before": blocking checkpoints, a human on call, slow reloads (the 104B run of Fig. 14). */
        public static Params before() {
            return new Params(256, 30, 3000, 120, 10, false, 10, 20, false, 0.5, 0.6, 30, 0.2, 5, 120, 2, 10, 30);
        }

        /** "After": asynchronous checkpoints, automatic diagnosis (the 123B run). */
        public static Params after() {
            return new Params(256, 30, 3000, 30, 10, true, 10, 20, true, 0.7, 0.8, 10, 0.2, 5, 120, 2, 5, 10);
        }

        public Params withInterval(double minutes) {
            return new Params(nodes, wallDays, nodeMtbfHours, minutes, syncCheckpointMin, asynchronous, asyncSpeedup,
                    uploadMin, automaticDiagnosis, ruleHitRate, llmSuccessRate, watchdogMin, ruleDiagnosisMin,
                    llmDiagnosisMin, manualDiagnosisMin, allGatherRoundMin, restartMin, loadCheckpointMin);
        }

        public Params withNodeMtbfHours(double hours) {
            return new Params(nodes, wallDays, hours, intervalMin, syncCheckpointMin, asynchronous, asyncSpeedup,
                    uploadMin, automaticDiagnosis, ruleHitRate, llmSuccessRate, watchdogMin, ruleDiagnosisMin,
                    llmDiagnosisMin, manualDiagnosisMin, allGatherRoundMin, restartMin, loadCheckpointMin);
        }

        /** Blocking time of one checkpoint, minutes. */
        public double blockingCheckpointMin() {
            return asynchronous ? syncCheckpointMin / asyncSpeedup : syncCheckpointMin;
        }

        /** The job's mean time between failures, minutes. */
        public double jobMtbfMin() {
            return nodeMtbfHours * 60 / nodes;
        }

        /** Young/Daly's interval √(2·δ·MTBF), minutes. */
        public double youngDalyMin() {
            return Math.sqrt(2 * blockingCheckpointMin() * jobMtbfMin());
        }
    }

    /**
     * One simulated window.
     *
     * @param goodput              useful training time / wall time (ETTR)
     * @param checkpointShare      blocking checkpoint time / wall time
     * @param failures             failures that hit the job
     * @param manualInterventions  failures a human had to diagnose
     * @param lostGpuHours         GPU-hours not spent on useful training
     * @param timeline             the segments, in order (kept only when asked for)
     */
    public record Run(double goodput, double checkpointShare, int failures, int manualInterventions,
                      double lostGpuHours, List<Segment> timeline) {
    }

    /** Goodput over checkpoint intervals, averaged over replications, with the best interval found. */
    public record Sweep(double[] intervalsMin, double[] goodput, double bestIntervalMin, double youngDalyMin) {
    }

    private CheckpointSimulator() {
    }

    /** Simulates one window; {@code keepTimeline} records the segments (for the chart). */
    public static Run simulate(Params p, long seed, boolean keepTimeline) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double wall = p.wallDays() * 24 * 60;
        double rate = p.nodes() / (p.nodeMtbfHours() * 60);
        List<Segment> timeline = keepTimeline ? new ArrayList<>() : null;
        double t = 0;
        double useful = 0;
        double durable = 0;
        // uploads: one in flight, at most one queued behind it (a newer checkpoint replaces the queued one)
        double pendingProgress = -1;
        double pendingDurableAt = Double.MAX_VALUE;
        double queuedProgress = -1;
        double checkpointTime = 0;
        int failures = 0;
        int manual = 0;
        double nextFailure = rate > 0 ? exp(rnd, rate) : Double.MAX_VALUE;
        double blocking = p.blockingCheckpointMin();
        double sinceCheckpoint = 0;
        while (t < wall) {
            if (pendingProgress >= 0 && t >= pendingDurableAt) {
                durable = pendingProgress;
                pendingProgress = -1;
                if (queuedProgress >= 0) {
                    pendingProgress = queuedProgress;
                    pendingDurableAt += p.uploadMin();
                    queuedProgress = -1;
                    continue;
                }
            }
            double trainLeft = p.intervalMin() - sinceCheckpoint;
            double end = Math.min(wall, t + trainLeft);
            if (nextFailure < end) {
                useful += nextFailure - t;
                add(timeline, Phase.TRAIN, t, nextFailure, "");
                t = nextFailure;
                if (pendingProgress >= 0 && t >= pendingDurableAt) {
                    durable = pendingProgress;
                    if (queuedProgress >= 0 && t >= pendingDurableAt + p.uploadMin()) {
                        durable = queuedProgress;
                    }
                }
                double[] out = recover(p, rnd, t, timeline);
                failures++;
                manual += (int) out[1];
                add(timeline, Phase.LOST, t, t, String.format(java.util.Locale.ROOT, "%.1f min lost",
                        useful - durable));
                useful = durable;
                pendingProgress = -1;
                queuedProgress = -1;
                sinceCheckpoint = 0;
                t = out[0];
                nextFailure = t + exp(rnd, rate);
                continue;
            }
            useful += end - t;
            sinceCheckpoint += end - t;
            add(timeline, Phase.TRAIN, t, end, "");
            t = end;
            if (t >= wall) {
                break;
            }
            // checkpoint: blocking part
            double cEnd = Math.min(wall, t + blocking);
            if (nextFailure < cEnd) {
                checkpointTime += nextFailure - t;
                add(timeline, Phase.CHECKPOINT, t, nextFailure, "interrupted");
                t = nextFailure;
                double[] out = recover(p, rnd, t, timeline);
                failures++;
                manual += (int) out[1];
                useful = durable;
                pendingProgress = -1;
                queuedProgress = -1;
                sinceCheckpoint = 0;
                t = out[0];
                nextFailure = t + exp(rnd, rate);
                continue;
            }
            checkpointTime += cEnd - t;
            add(timeline, Phase.CHECKPOINT, t, cEnd, "");
            t = cEnd;
            sinceCheckpoint = 0;
            if (p.asynchronous()) {
                if (pendingProgress < 0) {
                    pendingProgress = useful;
                    pendingDurableAt = t + p.uploadMin();
                } else {
                    queuedProgress = useful;
                }
            } else {
                durable = useful;
            }
        }
        double goodput = useful / wall;
        double lost = (wall - useful) / 60.0 * p.nodes() * 8;
        return new Run(goodput, checkpointTime / wall, failures, manual, lost,
                timeline == null ? List.of() : List.copyOf(timeline));
    }

    /** Detection, diagnosis, isolation and restart after a failure at {@code t}; returns {end, manual?1:0}. */
    private static double[] recover(Params p, SplittableRandom rnd, double t, List<Segment> timeline) {
        FailureType type = drawType(rnd);
        double now = t;
        if (type.hang()) {
            add(timeline, Phase.DETECT, now, now + p.watchdogMin(), type.name() + " (hang)");
            now += p.watchdogMin();
        }
        boolean manual;
        double diag;
        String path;
        if (p.automaticDiagnosis() && rnd.nextDouble() < p.ruleHitRate()) {
            diag = p.ruleDiagnosisMin();
            manual = false;
            path = "rule";
        } else if (p.automaticDiagnosis() && rnd.nextDouble() < p.llmSuccessRate()) {
            diag = p.llmDiagnosisMin();
            manual = false;
            path = "LLM analyst";
        } else {
            diag = (p.automaticDiagnosis() ? p.llmDiagnosisMin() : 0) + p.manualDiagnosisMin();
            manual = true;
            path = "manual";
        }
        add(timeline, Phase.DIAGNOSE, now, now + diag, type.name() + " by " + path);
        now += diag;
        if (type.faultyNode() && p.nodes() >= 2) {
            int broken = rnd.nextInt(p.nodes());
            AllGatherIsolation.Outcome found = AllGatherIsolation.isolate(p.nodes(),
                    AllGatherIsolation.brokenNodes(java.util.Set.of(broken)));
            double isolate = found.rounds() * p.allGatherRoundMin();
            add(timeline, Phase.ISOLATE, now, now + isolate, found.rounds() + " AllGather rounds, cordon node "
                    + found.faulty());
            now += isolate;
        }
        double restart = p.restartMin() + p.loadCheckpointMin();
        add(timeline, Phase.RESTART, now, now + restart, "");
        return new double[] {now + restart, manual ? 1 : 0};
    }

    private static FailureType drawType(SplittableRandom rnd) {
        int total = FailureType.INFRASTRUCTURE.stream().mapToInt(FailureType::jobs).sum();
        int pick = rnd.nextInt(total);
        for (FailureType f : FailureType.INFRASTRUCTURE) {
            pick -= f.jobs();
            if (pick < 0) {
                return f;
            }
        }
        return FailureType.INFRASTRUCTURE.get(0);
    }

    private static double exp(SplittableRandom rnd, double rate) {
        return -Math.log(1 - rnd.nextDouble()) / rate;
    }

    private static void add(List<Segment> timeline, Phase phase, double startMin, double endMin, String note) {
        if (timeline != null && (endMin > startMin || phase == Phase.LOST)) {
            timeline.add(new Segment(phase, startMin / 60, endMin / 60, note));
        }
    }

    /**
     * Goodput over {@code points} intervals spaced evenly in log between {@code minMin} and {@code maxMin},
     * averaged over {@code replications} windows (common random numbers). The best interval is the vertex of
     * a parabola fitted in log(interval) through the best grid point and its neighbours.
     */
    public static Sweep sweep(Params p, double minMin, double maxMin, int points, int replications, long seed) {
        double[] tau = new double[points];
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            tau[i] = minMin * Math.pow(maxMin / minMin, (double) i / (points - 1));
            double sum = 0;
            for (int r = 0; r < replications; r++) {
                sum += simulate(p.withInterval(tau[i]), seed + r, false).goodput();
            }
            g[i] = sum / replications;
        }
        int best = 0;
        for (int i = 1; i < points; i++) {
            if (g[i] > g[best]) {
                best = i;
            }
        }
        double bestTau = tau[best];
        if (best > 0 && best < points - 1) {
            double x0 = Math.log(tau[best - 1]);
            double x1 = Math.log(tau[best]);
            double x2 = Math.log(tau[best + 1]);
            double denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
            double a = (x2 * (g[best] - g[best - 1]) + x1 * (g[best - 1] - g[best + 1]) + x0 * (g[best + 1] - g[best]))
                    / denom;
            double b = (x2 * x2 * (g[best - 1] - g[best]) + x1 * x1 * (g[best + 1] - g[best - 1])
                    + x0 * x0 * (g[best] - g[best + 1])) / denom;
            if (a < 0) {
                bestTau = Math.exp(-b / (2 * a));
            }
        }
        return new Sweep(tau, g, bestTau, p.youngDalyMin());
    }
}
