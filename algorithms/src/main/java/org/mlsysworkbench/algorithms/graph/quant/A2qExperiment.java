package org.mlsysworkbench.algorithms.graph.quant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * Trains the GCN or GIN under every scheme of the config and compares accuracy against feature bits; optionally
 * runs the graph-level Nearest Neighbour Strategy study ({@link GraphLevelStudy}). GIN's A2Q evaluation aggregates
 * integer codes through the backend's {@link QuantKernels} (Vulkan when registered, else {@link CpuQuantKernels}).
 *
 * <p>metrics.csv: per scheme and seed {@code acc_<scheme>} (val-selected test accuracy),
 * {@code best_test_acc_<scheme>} (the paper's max-over-epochs rule), {@code avg_bits_<scheme>}; A2Q's
 * first-seed curves {@code a2q_loss}, {@code a2q_val_acc}, {@code a2q_avg_bits} per epoch; summary values
 * {@code spearman_bits_degree}, {@code compression_a2q}; with the graph-level study {@code nns_fp32_test_acc},
 * {@code nns_test_acc}, {@code nns_avg_bits}. Artifacts: {@code summary.csv},
 * {@code node_bits.csv} (node, in-degree, label, bits, alpha), with the graph-level study {@code nns_groups.csv}.
 */
public final class A2qExperiment implements Experiment<A2qConfig, A2qResult> {

    @Override
    public A2qResult run(A2qConfig config, RunContext ctx) {
        config.validate();
        LabelledGraph data;
        try {
            data = GraphDatasets.open(config.dataset(), config.seed());
        } catch (IOException e) {
            throw new ConfigException("dataset", "cannot load " + config.dataset() + ": " + e.getMessage(), e);
        }
        checkFinite(data, config.dataset());
        GcnHyper hyper = config.hyper();
        GcnTrainer.Model network = config.network();
        QuantKernels kernels = ctx.backend().kernels(QuantKernels.class).orElseGet(CpuQuantKernels::new);
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("FP32", QuantGcn.Scheme.FP32, hyper));
        runs.add(new Run("A2Q", QuantGcn.Scheme.A2Q, hyper));
        for (int b : config.uniformBits()) {
            runs.add(new Run("uniform " + b + "-bit", QuantGcn.Scheme.UNIFORM, hyper.withUniformBits(b)));
        }
        if (config.degreeQuant()) {
            runs.add(new Run("DQ INT4", QuantGcn.Scheme.DEGREE_QUANT, hyper.withUniformBits(4)));
            runs.add(new Run("DQ INT8", QuantGcn.Scheme.DEGREE_QUANT, hyper.withUniformBits(8)));
        }
        int total = runs.size() * config.seeds() + config.sweepKb().size() + (config.graphLevel() != null ? 1 : 0);
        int done = 0;
        int[] degree = QuantGcn.inDegrees(data.graph());
        List<A2qResult.SchemeRow> rows = new ArrayList<>();
        GcnTrainer.Result firstA2q = null;
        double[][] curve = new double[hyper.epochs()][3];
        for (Run run : runs) {
            double[] acc = new double[config.seeds()];
            double best = 0;
            double bits = 0;
            String key = run.name.toLowerCase(Locale.ROOT).replace(' ', '_').replace("-bit", "bit");
            for (int s = 0; s < config.seeds(); s++) {
                ctx.checkpoint((double) done++ / total, run.name + ", seed " + (s + 1) + "/" + config.seeds());
                boolean trace = run.scheme == QuantGcn.Scheme.A2Q && s == 0;
                GcnTrainer.Result r = GcnTrainer.train(data, network, run.scheme, run.hyper, config.seed() + s,
                        ctx.cancel(), trace ? (e, loss, val, test, avg) -> {
                            curve[e][0] = loss;
                            curve[e][1] = val;
                            curve[e][2] = avg;
                            ctx.metrics().record("a2q_loss", e, loss);
                            ctx.metrics().record("a2q_val_acc", e, val);
                            ctx.metrics().record("a2q_avg_bits", e, avg);
                        } : null, kernels);
                if (trace) {
                    firstA2q = r;
                }
                acc[s] = r.valSelectedTestAcc();
                best += r.bestTestAcc() / config.seeds();
                bits += r.averageBits() / config.seeds();
                ctx.metrics().record("acc_" + key, s, r.valSelectedTestAcc());
                ctx.metrics().record("best_test_acc_" + key, s, r.bestTestAcc());
                ctx.metrics().record("avg_bits_" + key, s, r.averageBits());
            }
            double mean = Arrays.stream(acc).average().orElse(0);
            double sd = Math.sqrt(Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum()
                    / Math.max(1, acc.length - 1));
            rows.add(new A2qResult.SchemeRow(run.name, mean, sd, best, bits, 32 / Math.max(bits, 1e-9),
                    totalCompression(data, hyper, run.scheme, bits, weightCount(network, data, hyper)),
                    bits * data.numNodes() * hyper.hidden() / 8.0 / 1024.0,
                    modelKb(data, hyper, run.scheme, weightCount(network, data, hyper))));
        }
        List<A2qResult.SweepPoint> sweep = new ArrayList<>();
        for (double kb : config.sweepKb()) {
            ctx.checkpoint((double) done++ / total, "A2Q sweep, target " + kb + " KB");
            GcnTrainer.Result r = GcnTrainer.train(data, network, QuantGcn.Scheme.A2Q, hyper.withTargetKb(kb),
                    config.seed(), ctx.cancel(), null, kernels);
            sweep.add(new A2qResult.SweepPoint(kb, r.averageBits(), r.valSelectedTestAcc()));
            ctx.metrics().record("sweep_acc_at_kb", Math.round(kb * 1000), r.valSelectedTestAcc());
            ctx.metrics().record("sweep_bits_at_kb", Math.round(kb * 1000), r.averageBits());
        }
        GraphLevelStudy.Result graphLevel = null;
        if (config.graphLevel() != null) {
            ctx.checkpoint((double) done / total, "graph-level NNS study (GIN, unseen graphs)");
            graphLevel = GraphLevelStudy.run(config.graphLevel(), config.seed(), ctx.cancel());
            ctx.metrics().summary("nns_fp32_test_acc", graphLevel.fp32TestAcc());
            ctx.metrics().summary("nns_test_acc", graphLevel.nnsTestAcc());
            ctx.metrics().summary("nns_avg_bits", graphLevel.nnsAverageBits());
        }
        double rho = spearman(degree, firstA2q.nodeBits());
        ctx.metrics().summary("spearman_bits_degree", rho);
        ctx.metrics().summary("compression_a2q", rows.get(1).compression());
        ctx.metrics().summary("total_compression_a2q", rows.get(1).totalCompression());
        GraphSample sample = GraphSample.of(data.graph(), 600, 150, config.seed());
        A2qResult result = new A2qResult(config.dataset(), data.numNodes(), rows, degree, firstA2q.nodeBits(),
                firstA2q.nodeAlpha(), rho, sweep, curve, config.model(), sample, graphLevel, data.labels().clone());
        if (ctx.outDir() != null) {
            writeArtifacts(result, data, ctx);
        }
        return result;
    }

    private record Run(String name, QuantGcn.Scheme scheme, GcnHyper hyper) {
    }

    private static void checkFinite(LabelledGraph g, String source) {
        float[] x = g.features();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new ConfigException(source + ": features[node " + (i / g.featureDim()) + ", column "
                        + (i % g.featureDim()) + "]", "finite values, got " + x[i]);
            }
        }
    }

    /**
     * (32-bit features + 32-bit weights) over (A2Q or k-bit features + 4-bit (or k-bit) weights + 32-bit
     * step per node and per channel + 8-bit bits field per node). Counts layer 2's input and both weight
     * matrices; layer 1's input is the unquantized FP32 (binary) input in every scheme and is left out.
     */
    static double totalCompression(LabelledGraph g, GcnHyper h, QuantGcn.Scheme scheme, double avgBits,
                                   double weights) {
        double n = g.numNodes();
        double fp32 = 32 * (n * h.hidden() + weights);
        if (scheme == QuantGcn.Scheme.FP32) {
            return 1;
        }
        int wBits = scheme == QuantGcn.Scheme.A2Q ? h.weightBits() : Math.max(h.weightBits(), h.uniformBits());
        double channels = h.hidden() + g.numClasses();
        double quant = avgBits * n * h.hidden() + wBits * weights + 32 * channels;
        if (scheme == QuantGcn.Scheme.A2Q) {
            quant += n * (32 + 8);
        }
        return fp32 / quant;
    }

    /** Weights at their bits, per-channel steps, and A2Q's per-node (alpha, b), in KB. */
    static double modelKb(LabelledGraph g, GcnHyper h, QuantGcn.Scheme scheme, double weights) {
        if (scheme == QuantGcn.Scheme.FP32) {
            return 32 * weights / 8 / 1024;
        }
        int wBits = scheme == QuantGcn.Scheme.A2Q ? h.weightBits() : Math.max(h.weightBits(), h.uniformBits());
        double bits = wBits * weights + 32.0 * (h.hidden() + g.numClasses());
        if (scheme == QuantGcn.Scheme.A2Q) {
            bits += g.numNodes() * (32.0 + 8);
        }
        return bits / 8 / 1024;
    }

    /** Weight count: GCN F·H + H·C; GIN F·H + H·H (layer 1's MLP) + H·H + H·C (layer 2's MLP). */
    static double weightCount(GcnTrainer.Model network, LabelledGraph g, GcnHyper h) {
        double base = (double) g.featureDim() * h.hidden() + (double) h.hidden() * g.numClasses();
        return network == GcnTrainer.Model.GIN ? base + 2.0 * h.hidden() * h.hidden() : base;
    }

    /** Spearman's rank correlation (average ranks for ties). */
    public static double spearman(int[] a, int[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < ra.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.sqrt(da * db);
    }

    private static double[] ranks(int[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Integer.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    private static void writeArtifacts(A2qResult r, LabelledGraph g, RunContext ctx) {
        StringBuilder s = new StringBuilder("scheme,acc_val_selected,acc_sd,best_test_acc,avg_bits,"
                + "compression_32_over_bits,compression_total,feature_kb,model_kb\n");
        for (A2qResult.SchemeRow row : r.schemes()) {
            s.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.3f,%.2f,%.2f,%.2f,%.2f%n", row.name(),
                    row.valSelectedAcc(), row.valSelectedSd(), row.bestTestAcc(), row.averageBits(), row.compression(),
                    row.totalCompression(), row.featureKb(), row.modelKb()));
        }
        StringBuilder nodes = new StringBuilder("node,in_degree,label,bits,alpha\n");
        for (int v = 0; v < r.nodes(); v++) {
            nodes.append(v).append(',').append(r.nodeDegree()[v]).append(',').append(g.labels()[v]).append(',')
                    .append(r.nodeBits()[v]).append(',').append(r.nodeAlpha()[v]).append('\n');
        }
        try {
            Files.writeString(ctx.outDir().resolve("summary.csv"), s, StandardCharsets.UTF_8);
            Files.writeString(ctx.outDir().resolve("node_bits.csv"), nodes, StandardCharsets.UTF_8);
            GraphLevelStudy.Result gl = r.graphLevel();
            if (gl != null) {
                StringBuilder t = new StringBuilder("group,alpha,b,reported_bits,qmax_paper,unseen_nodes_layer2\n");
                for (int k = 0; k < gl.tableAlpha().length; k++) {
                    t.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%d,%.6f,%d%n", k, gl.tableAlpha()[k],
                            gl.tableBits()[k], Math.max(1, Math.round(Math.abs(gl.tableBits()[k]))) - 1,
                            gl.tableQmax()[k], gl.assignments()[k]));
                }
                Files.writeString(ctx.outDir().resolve("nns_groups.csv"), t, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
