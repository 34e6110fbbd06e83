package org.mlsysworkbench.algorithms.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * What a trace run shows.
 *
 * @param cluster           the preset / published row compared with
 * @param traceCsv          the loaded CSV (in the run folder for generated traces; null when deleted)
 * @param scan              the loader's report (rows, skipped rows with their messages, duration flag)
 * @param jobScale          loaded jobs / published jobs for generated traces, 1 for files
 * @param dashboard         every statistic of the dashboard
 * @param summaryRows       published vs recomputed, per summary column
 * @param claimRows         the paper's workload claims vs recomputed (Seren, Kalos)
 * @param typeMedianRows    per-type duration medians: figure curve vs recomputed (Seren, Kalos)
 * @param loadSeconds       wall time of checking and loading the CSV
 * @param statsSeconds      wall time of all dashboard statistics
 * @param checkpointSweep   goodput vs checkpoint interval (null when not simulated)
 * @param checkpointRun     one simulated window at the configured interval, with its timeline (or null)
 * @param evaluation        baseline vs coordinator per node count 1..evalMaxNodes (empty when not simulated)
 * @param releaseNote       for a file named trace_kalos.csv: whether it is the released file; else ""
 */
public record TraceResult(String cluster, Path traceCsv, AcmeTraceReader.Scan scan, double jobScale,
                          TraceDashboard dashboard, List<ReproductionRow> summaryRows, List<ReproductionRow> claimRows,
                          List<ReproductionRow> typeMedianRows, double loadSeconds, double statsSeconds,
                          CheckpointSimulator.Sweep checkpointSweep, CheckpointSimulator.Run checkpointRun,
                          List<EvalSchedulingSimulator.Comparison> evaluation, String releaseNote) {

    public TraceResult {
        summaryRows = List.copyOf(summaryRows);
        claimRows = List.copyOf(claimRows);
        typeMedianRows = List.copyOf(typeMedianRows);
        evaluation = List.copyOf(evaluation);
    }

    /** Every reproduction row: summary, type medians, claims. */
    public List<ReproductionRow> allRows() {
        List<ReproductionRow> all = new java.util.ArrayList<>(summaryRows);
        all.addAll(typeMedianRows);
        all.addAll(claimRows);
        return all;
    }

    /** Rows that agree, out of those with both values. */
    public long agreeing() {
        return allRows().stream().filter(r -> r.agreement() == Agreement.AGREE).count();
    }
}
