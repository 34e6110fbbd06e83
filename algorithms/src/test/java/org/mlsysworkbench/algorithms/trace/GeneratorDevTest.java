package org.mlsysworkbench.algorithms.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;

class GeneratorDevTest {
    @Test
    void dump() throws Exception {
        StringBuilder out = new StringBuilder();
        String only = System.getProperty("preset", "");
        int n = Integer.getInteger("jobs", 150000);
        for (ClusterPreset p : ClusterPreset.values()) {
            if (!only.isEmpty() && !p.name().equalsIgnoreCase(only)) continue;
            long t0 = System.nanoTime();
            GeneratedTrace g = TraceGenerator.generate(p, n, new SplittableRandom(42), CancellationToken.none());
            long t1 = System.nanoTime();
            Path f = Files.createTempFile("gen", ".csv");
            g.writeCsv(f, CancellationToken.none());
            long t2 = System.nanoTime();
            try (TraceDatabase db = TraceDatabase.inMemory(2)) {
                db.load(f, AcmeTraceReader.OnError.STOP, CancellationToken.none());
                long t3 = System.nanoTime();
                TraceDashboard d = TraceStatistics.dashboard(db, p.clusterId(), CancellationToken.none());
                long t4 = System.nanoTime();
                out.append(String.format("%s gen %.2fs write %.2fs load %.2fs stats %.2fs%n", p, (t1-t0)/1e9, (t2-t1)/1e9, (t3-t2)/1e9, (t4-t3)/1e9));
                double scale = n / p.published().get(SummaryColumn.JOB_NUM);
                for (ReproductionRow r : ReproductionTable.summaryRows(p.published(), d.summary(), scale)) {
                    out.append(String.format("  %-24s %14.4f %14.4f %s%n", r.quantity(), r.published(), r.recomputed(), r.agreement()));
                }
                for (ReproductionRow r : ReproductionTable.claimRows(db, p.clusterId())) {
                    out.append(String.format("  %-60s %10.3f %10.3f %s%n", r.quantity(), r.published(), r.recomputed(), r.agreement()));
                }
                if (p.perTypeCurves()) {
                    for (String type : p.gpuTypeMix().keySet()) {
                        double med = TraceStatistics.quantile(db, "duration_s", 0.5, "is_gpu AND type = '" + type + "'");
                        double pub = FigureCurves.bundled().get("cdf_job_duration_queue", "duration", p.typeSeries(type)).median();
                        out.append(String.format("  median %-10s %10.2f %10.2f%n", type, pub, med));
                    }
                }
            }
            Files.delete(f);
        }
        Files.writeString(Path.of("target/trace-dev.txt"), out.toString());
    }
}
