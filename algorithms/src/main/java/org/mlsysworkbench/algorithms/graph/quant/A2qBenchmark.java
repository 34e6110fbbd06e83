package org.mlsysworkbench.algorithms.graph.quant;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;

/**
 * {@code bench a2q}: one run of FP32 and A2Q training on the same generated graph: ms per epoch of each and
 * their ratio (the quantizers' overhead in fake-quantized training), and feature memory FP32 / A2Q.
 */
public final class A2qBenchmark implements BenchmarkSuite {

    @Override
    public String id() {
        return A2qBench.ID;
    }

    @Override
    public String description() {
        return "GCN training epoch time FP32 vs A2Q (fake-quantized) and feature memory, on a generated graph";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        int nodes = quick ? 3000 : 20000;
        LabelledGraph g = SbmGenerator.generate(new SbmGenerator.Params(nodes, 7, 8, 0.8, 2.2, 256, 1.0, 20, 500, 1000),
                1);
        GcnHyper h = GcnHyper.a2qCora();
        int epochs = quick ? 10 : 40;
        double[] ms = new double[2];
        double kbA2q = 0;
        QuantGcn.Scheme[] schemes = {QuantGcn.Scheme.FP32, QuantGcn.Scheme.A2Q};
        for (int s = 0; s < 2; s++) {
            QuantGcn m = new QuantGcn(g, schemes[s], h, new SplittableRandom(1));
            SplittableRandom r = new SplittableRandom(2);
            for (int e = 0; e < 3; e++) {
                m.trainStep(g.train(), r);   // warm-up
            }
            long t0 = System.nanoTime();
            for (int e = 0; e < epochs; e++) {
                cancel.throwIfCancelled();
                m.trainStep(g.train(), r);
            }
            ms[s] = (System.nanoTime() - t0) / 1e6 / epochs;
            if (m.featureQuantizer() != null) {
                kbA2q = m.featureQuantizer().averageReportedBits() * nodes * h.hidden() / 8.0 / 1024.0;
            }
        }
        String c = "SBM " + nodes + " nodes, 256 features";
        report.add(id(), c + " FP32", "epoch", ms[0], "ms", "train step: forward, backward, Adam");
        report.add(id(), c + " A2Q", "epoch", ms[1], "ms", "fake quantization of weights, X·W and features");
        report.add(id(), c + " A2Q/FP32", "ratio", ms[1] / ms[0], "x", "same run, same graph");
        double kbFp32 = 32.0 * nodes * h.hidden() / 8 / 1024;
        report.add(id(), c + " layer-2 input", "memory FP32/A2Q", kbFp32 / Math.max(kbA2q, 1e-9), "x",
                String.format(java.util.Locale.ROOT, "%.1f KB vs %.1f KB after %d epochs", kbFp32, kbA2q, epochs + 3));
    }
}
