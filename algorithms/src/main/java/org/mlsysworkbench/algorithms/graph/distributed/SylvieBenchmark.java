package org.mlsysworkbench.algorithms.graph.distributed;

import java.util.List;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RunContext;

/**
 * {@code bench sylvie}: the time study on a generated 100K-node graph (20K with --quick) for P = 2, 4, 8:
 * bytes FP32 / one-bit, and the modelled epoch-time speedup of one-bit + pipelining over FP32 synchronous
 * at 10 Gb/s (and, for contrast, 1 Gb/s), from measured compute and counted bytes.
 */
public final class SylvieBenchmark implements BenchmarkSuite {

    @Override
    public String id() {
        return SylvieBench.ID;
    }

    @Override
    public String description() {
        return "one-bit + pipelining vs FP32 synchronous on a simulated cluster: bytes and modelled epoch time";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        SylvieConfig c = new SylvieConfig(SylvieConfig.SCHEMA, 1, "sbm", 2, "lp", 1, List.of(1), 0, false, 1, 3, 10, 5,
                quick ? 20_000 : 100_000, List.of(2, 4, 8), 128, 2);
        SylvieResult r = new SylvieExperiment().run(c, new RunContext(new java.util.SplittableRandom(1),
                ProgressListener.NONE, cancel, MetricsSink.NONE, backend, null));
        for (SylvieResult.ScaleRow row : r.scale()) {
            String cs = "SBM " + c.scaleNodes() + " nodes, P=" + row.parts();
            report.add(id(), cs, "bytes FP32/1-bit", (double) row.fp32BytesPerEpoch() / row.bytesPerEpoch(), "x",
                    "incl. 32-bit bfloat16 side information per row");
            report.add(id(), cs, "FP32 sync epoch", row.fp32SyncMs(), "ms", "modelled at 10 Gb/s, 5 us");
            report.add(id(), cs, "1-bit pipelined", row.codedPipelinedMs(), "ms", "S = 1");
            report.add(id(), cs, "speedup", row.speedup(), "x", "modelled; compute measured as thread CPU time");
            report.add(id(), cs, "speedup at 1 Gb/s", row.speedupOn(new NetworkModel(1, c.latencyUs())), "x",
                    "the same epoch on a slower link");
        }
    }
}
