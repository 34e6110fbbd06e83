package org.mlsysworkbench.algorithms.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a trace run's CSV artifacts into its run folder. */
final class TraceArtifacts {

    private TraceArtifacts() {
    }

    static void write(TraceResult r, Path dir) throws IOException {
        List<String> rep = new ArrayList<>();
        rep.add(TraceExperiment.csvLine("cluster", "quantity", "published", "recomputed", "unit", "tolerance",
                "agreement"));
        for (ReproductionRow row : r.allRows()) {
            rep.add(TraceExperiment.csvLine(row.cluster(), row.quantity(), row.published(),
                    TraceExperiment.round(row.recomputed()), row.unit(), row.tolerance(), row.agreement()));
        }
        TraceExperiment.writeLines(dir.resolve("reproduction.csv"), rep);
        writeCdfs(dir.resolve("duration_cdf.csv"), r.dashboard().durationCdfs());
        writeCdfs(dir.resolve("queue_cdf.csv"), r.dashboard().queueCdfs());
        writeCdfs(dir.resolve("gpu_demand.csv"), List.of(r.dashboard().gpuDemandByJobs(),
                r.dashboard().gpuDemandByTime()));
        writeShares(dir.resolve("states.csv"), r.dashboard().gpuStates());
        writeShares(dir.resolve("types.csv"), r.dashboard().types());
        if (r.checkpointSweep() != null) {
            List<String> lines = new ArrayList<>();
            lines.add(TraceExperiment.csvLine("interval_min", "goodput", "young_daly_min", "best_min"));
            CheckpointSimulator.Sweep s = r.checkpointSweep();
            for (int i = 0; i < s.intervalsMin().length; i++) {
                lines.add(TraceExperiment.csvLine(s.intervalsMin()[i], s.goodput()[i], s.youngDalyMin(),
                        s.bestIntervalMin()));
            }
            TraceExperiment.writeLines(dir.resolve("checkpoint_sweep.csv"), lines);
        }
        if (!r.evaluation().isEmpty()) {
            List<String> lines = new ArrayList<>();
            lines.add(TraceExperiment.csvLine("nodes", "baseline_makespan_s", "coordinator_makespan_s", "reduction_x",
                    "baseline_gpu_busy", "coordinator_gpu_busy"));
            for (int i = 0; i < r.evaluation().size(); i++) {
                EvalSchedulingSimulator.Comparison c = r.evaluation().get(i);
                lines.add(TraceExperiment.csvLine(i + 1, c.baseline().makespanS(), c.coordinator().makespanS(),
                        c.speedup(), c.baseline().gpuBusy(), c.coordinator().gpuBusy()));
            }
            TraceExperiment.writeLines(dir.resolve("evaluation.csv"), lines);
        }
    }

    private static void writeCdfs(Path file, List<Cdf> cdfs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(TraceExperiment.csvLine("series", "x", "cdf", "total"));
        for (Cdf c : cdfs) {
            double[] x = c.x();
            double[] f = c.cdf();
            for (int i = 0; i < x.length; i++) {
                lines.add(TraceExperiment.csvLine(c.name(), x[i], f[i], c.total()));
            }
        }
        TraceExperiment.writeLines(file, lines);
    }

    private static void writeShares(Path file, List<Share> shares) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(TraceExperiment.csvLine("category", "jobs", "job_share", "gpu_seconds", "gpu_time_share"));
        for (Share s : shares) {
            lines.add(TraceExperiment.csvLine(s.category(), s.jobs(), s.jobShare(), s.gpuSeconds(), s.gpuTimeShare()));
        }
        TraceExperiment.writeLines(file, lines);
    }
}
