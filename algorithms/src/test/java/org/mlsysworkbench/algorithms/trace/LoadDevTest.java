package org.mlsysworkbench.algorithms.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;

class LoadDevTest {
    @Test
    void dump() throws Exception {
        StringBuilder out = new StringBuilder();
        int n = Integer.getInteger("jobs", 300000);
        Path f = Path.of("target/dev-seren.csv");
        if (!Files.exists(f)) {
            GeneratedTrace g = TraceGenerator.generate(ClusterPreset.SEREN, n, new SplittableRandom(1), CancellationToken.none());
            g.writeCsv(f, CancellationToken.none());
        }
        try (TraceDatabase db = TraceDatabase.inMemory(2)) {
            db.query("SELECT 1", 1);
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                AcmeTraceReader.scan(f, AcmeTraceReader.OnError.STOP, null, CancellationToken.none());
                long t1 = System.nanoTime();
                db.load(f, AcmeTraceReader.OnError.STOP, CancellationToken.none());
                long t2 = System.nanoTime();
                db.query("CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('" + f.toAbsolutePath() + "', header=true, all_varchar=true)", 1);
                long t3 = System.nanoTime();
                TraceStatistics.dashboard(db, "Seren", CancellationToken.none());
                long t4 = System.nanoTime();
                out.append(String.format("scan %.2f  load(scan+ingest) %.2f  rawcsv %.2f  stats %.2f  cpu-time %.2f%n", (t1-t0)/1e9, (t2-t1)/1e9, (t3-t2)/1e9, (t4-t3)/1e9,
                    java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()/1e9));
            }
        }
        Files.writeString(Path.of("target/load-dev.txt"), out.toString());
    }
}
