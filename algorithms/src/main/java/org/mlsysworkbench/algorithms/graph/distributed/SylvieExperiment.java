package org.mlsysworkbench.algorithms.graph.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;
import org.mlsysworkbench.algorithms.graph.partition.Partition;
import org.mlsysworkbench.algorithms.graph.partition.PartitionLayout;
import org.mlsysworkbench.algorithms.graph.partition.Partitioners;
import org.mlsysworkbench.algorithms.graph.quant.GraphDatasets;

/**
 * Simulated distributed full-graph training: FP32 synchronous against coded messages at each staleness
 * bound, then a time study on a generated graph for several worker counts. The cluster is simulated:
 * compute is measured (thread CPU time), communication is modelled from counted bytes ({@link NetworkModel}).
 *
 * <p>The codec comes from the backend ({@link LowBitKernels}: the Vulkan Low-bit Module or the CPU twin; both
 * give identical codes, so identical metrics). FP32 synchronous runs without pipelining; every coded variant
 * runs pipelined with its staleness bound and the config's Bounded Staleness Adaptor.
 *
 * <p>metrics.csv: {@code edge_cut}, per variant and seed {@code acc_<variant>}, per variant
 * {@code bytes_per_epoch_<variant>}, {@code compression_<variant>}, first-seed curves {@code loss_<variant>} and
 * {@code staleness_used_<variant>} (the bound the adaptor applied per epoch).
 * timings.csv: modelled epoch times and speedups (they include measured compute).
 * Artifacts: {@code variants.csv}, {@code scale.csv}, {@code bandwidth.csv}.
 */
public final class SylvieExperiment implements Experiment<SylvieConfig, SylvieResult> {

    private static final double[] BANDWIDTHS_GBPS = {1, 2.5, 10, 25, 100, 400};
    /** Nodes drawn in the partition view (the layout is O(n^2) per iteration). */
    static final int LAYOUT_NODES = 800;

    @Override
    public SylvieResult run(SylvieConfig c, RunContext ctx) {
        c.validate();
        LabelledGraph g;
        try {
            g = GraphDatasets.open(c.dataset(), c.seed());
        } catch (IOException e) {
            throw new ConfigException("dataset", "cannot load " + c.dataset() + ": " + e.getMessage(), e);
        }
        Partition part = partition(g, c.parts(), c.partitioner(), c.seed());
        long cut = part.edgeCut(g.graph());
        ctx.metrics().summary("edge_cut", cut);
        LowBitKernels codec = ctx.backend().kernels(LowBitKernels.class).orElseGet(CpuLowBitKernels::new);
        DistributedSettings base = DistributedSettings.coraOneBit();
        base = new DistributedSettings(base.layers(), base.hidden(), base.lr(), base.weightDecay(), base.dropout(),
                c.messageBits(), LowBitCodec.Side.BFLOAT16, 0, true, c.warmupEpochs(), c.lossRiseFallback(),
                c.network());
        List<DistributedSettings> settings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        settings.add(base.withBits(32).withStaleness(0).withPipelining(false).withAdaptor(0, false));
        names.add("FP32 sync");
        for (int s : c.staleness()) {
            settings.add(base.withStaleness(s));
            names.add(c.messageBits() + "-bit S=" + s);
        }
        int total = settings.size() * c.seeds() + c.scaleParts().size();
        int done = 0;
        List<SylvieResult.Variant> variants = new ArrayList<>();
        int[] halo = null;
        for (int v = 0; v < settings.size(); v++) {
            DistributedSettings s = settings.get(v);
            String key = names.get(v).toLowerCase(Locale.ROOT).replace(' ', '_').replace("=", "");
            double[] acc = new double[c.seeds()];
            List<EpochStats> first = null;
            for (int seed = 0; seed < c.seeds(); seed++) {
                ctx.checkpoint((double) done++ / total, names.get(v) + ", seed " + (seed + 1));
                try (DistributedGcn gcn = new DistributedGcn(g, part, s, c.seed() + seed, codec)) {
                    halo = gcn.haloSizes();
                    List<EpochStats> run = gcn.train(c.epochs(), ctx.cancel(), null);
                    acc[seed] = valSelected(run);
                    ctx.metrics().record("acc_" + key, seed, acc[seed]);
                    if (seed == 0) {
                        first = run;
                    }
                }
            }
            double[] loss = first.stream().mapToDouble(EpochStats::loss).toArray();
            double[] val = first.stream().mapToDouble(EpochStats::valAcc).toArray();
            for (int e = 0; e < loss.length; e++) {
                ctx.metrics().record("loss_" + key, e, loss[e]);
                ctx.metrics().record("staleness_used_" + key, e, first.get(e).staleness());
            }
            EpochStats last = first.get(first.size() - 1);
            double mean = java.util.Arrays.stream(acc).average().orElse(0);
            double sd = Math.sqrt(java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum()
                    / Math.max(1, acc.length - 1));
            SylvieResult.Variant var = new SylvieResult.Variant(names.get(v), s.messageBits(), s.staleness(), s.pipelined(), mean, sd,
                    last.totalBytes(), last.totalBytesFp32(), loss, val, last);
            variants.add(var);
            ctx.metrics().summary("bytes_per_epoch_" + key, var.bytesPerEpoch());
            ctx.metrics().summary("compression_" + key, var.compression());
            ctx.metrics().record("epoch_sync_fp32_" + key + "_ms", 0, last.epochMs(false, true));
            ctx.metrics().record("epoch_pipelined_coded_" + key + "_ms", 0, last.epochMs(true, false));
        }
        List<SylvieResult.ScaleRow> scale = new ArrayList<>();
        EpochStats scaleLast = null;
        if (c.scaleNodes() > 0 && !c.scaleParts().isEmpty()) {
            LabelledGraph big = SbmGenerator.generate(new SbmGenerator.Params(c.scaleNodes(), 8, 10, 0.8, 2.2,
                    c.scaleHidden(), 1.0, 20, 500, 1000), c.seed());
            DistributedSettings s = new DistributedSettings(3, c.scaleHidden(), 0.01, 5e-4, 0.5, c.messageBits(),
                    LowBitCodec.Side.BFLOAT16, 1, true, 0, false, c.network());
            for (int p : c.scaleParts()) {
                ctx.checkpoint((double) done++ / total, "time study, P = " + p);
                Partition bp = partition(big, p, c.partitioner(), c.seed());
                try (DistributedGcn gcn = new DistributedGcn(big, bp, s, c.seed(), codec)) {
                    List<EpochStats> run = gcn.train(c.scaleEpochs(), ctx.cancel(), null);
                    EpochStats last = run.get(run.size() - 1);
                    SylvieResult.ScaleRow row = new SylvieResult.ScaleRow(p, bp.edgeCut(big.graph()),
                            last.totalBytes(), last.totalBytesFp32(), last.epochMs(false, true),
                            last.epochMs(false, false), last.epochMs(true, false), last);
                    scale.add(row);
                    scaleLast = last;
                    ctx.metrics().record("scale_bytes_per_epoch", p, row.bytesPerEpoch());
                    ctx.metrics().record("scale_compression", p, (double) row.fp32BytesPerEpoch() / row.bytesPerEpoch());
                    ctx.metrics().record("scale_fp32_sync_ms", p, row.fp32SyncMs());
                    ctx.metrics().record("scale_coded_pipelined_ms", p, row.codedPipelinedMs());
                    ctx.metrics().record("scale_p" + p + "_speedup_measured", 0, row.speedup());
                }
            }
        }
        EpochStats basis = scaleLast != null ? scaleLast : variants.get(variants.size() - 1).lastEpoch();
        List<SylvieResult.BandwidthPoint> bw = new ArrayList<>();
        for (double gbps : BANDWIDTHS_GBPS) {
            NetworkModel link = new NetworkModel(gbps, c.latencyUs());
            bw.add(new SylvieResult.BandwidthPoint(gbps, basis.epochMs(false, true, link),
                    basis.epochMs(true, false, link)));
        }
        String formula = "Modelled epoch time. Message: " + c.network().formula() + "; messages into one worker "
                + "share its link (summed). Synchronous FP32: T = sum over layers l and directions (fwd, bwd) of "
                + "[max_p compute(l, p) + max_p receive(l, p)]. One-bit + pipelining: T = sum over l, dir of "
                + "max_p max(compute(l, p), receive(l, p)). Speedup = T_sync,fp32 / T_pipelined,1-bit at the same "
                + "measured compute (thread CPU time per worker and layer); bytes counted, link time modelled. "
                + "One-bit bytes per row = (d + 32) / 8 (bfloat16 min and range).";
        PartitionLayout layout = PartitionLayout.of(g.graph(), part, LAYOUT_NODES, 150, c.seed());
        SylvieResult result = new SylvieResult(c.dataset(), g.numNodes(), new SylvieResult.PartitionInfo(part.parts(),
                part.assignment(), cut, g.graph().numEdges() / 2, part.balance(), halo), variants, scale, bw, formula,
                layout, scaleLast);
        if (ctx.outDir() != null) {
            write(result, ctx);
        }
        return result;
    }

    static Partition partition(LabelledGraph g, int parts, String how, long seed) {
        return "random".equals(how) ? Partitioners.random(g.numNodes(), parts, seed)
                : Partitioners.labelPropagation(g.graph(), parts, seed, 10, 0.1);
    }

    static double valSelected(List<EpochStats> run) {
        double best = -1;
        double test = 0;
        for (EpochStats e : run) {
            if (e.valAcc() > best) {
                best = e.valAcc();
                test = e.testAcc();
            }
        }
        return test;
    }

    private static void write(SylvieResult r, RunContext ctx) {
        StringBuilder v = new StringBuilder("variant,bits,staleness,accuracy,accuracy_sd,bytes_per_epoch,"
                + "fp32_bytes_per_epoch,compression\n");
        for (SylvieResult.Variant x : r.variants()) {
            v.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%d,%d,%.2f%n", x.name(), x.bits(), x.staleness(),
                    x.accuracy(), x.accuracySd(), x.bytesPerEpoch(), x.fp32BytesPerEpoch(), x.compression()));
        }
        StringBuilder s = new StringBuilder("parts,edge_cut,bytes_per_epoch,fp32_bytes_per_epoch,fp32_sync_ms,"
                + "coded_sync_ms,coded_pipelined_ms,speedup\n");
        for (SylvieResult.ScaleRow x : r.scale()) {
            s.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.3f,%.3f,%.2f%n", x.parts(), x.edgeCut(),
                    x.bytesPerEpoch(), x.fp32BytesPerEpoch(), x.fp32SyncMs(), x.codedSyncMs(), x.codedPipelinedMs(),
                    x.speedup()));
        }
        StringBuilder b = new StringBuilder("bandwidth_gbps,fp32_sync_ms,coded_pipelined_ms,speedup\n");
        for (SylvieResult.BandwidthPoint x : r.bandwidth()) {
            b.append(String.format(Locale.ROOT, "%.1f,%.3f,%.3f,%.2f%n", x.gbps(), x.fp32SyncMs(),
                    x.codedPipelinedMs(), x.fp32SyncMs() / x.codedPipelinedMs()));
        }
        try {
            Files.writeString(ctx.outDir().resolve("variants.csv"), v, StandardCharsets.UTF_8);
            Files.writeString(ctx.outDir().resolve("scale.csv"), s, StandardCharsets.UTF_8);
            Files.writeString(ctx.outDir().resolve("bandwidth.csv"), b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
