package org.mlsysworkbench.algorithms.graph.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * FastGL's pipeline on one graph: sample every batch of an epoch (fused or baseline ID map), reorder the
 * batches by overlap, assemble each batch's features from static cache / previous batch / host with exact
 * byte accounting, and train GraphSAGE or GCN ({@link SampledModel}) on the seeds, charging every moment of
 * the epoch to one of the phases sample, ID map, gather/copy, forward, backward ({@link PhaseClock}).
 *
 * <p>Before the first epoch a pre-sampling pass (timed as {@code prepare_ms}) fills the static cache and
 * measures, on the same batches, the feature bytes with the cache only, with match, and with match and
 * reorder. After each epoch the model is evaluated on the validation and test nodes with every neighbour
 * (fanout -1), outside the epoch's time.
 *
 * <p>metrics.csv (reproducible): {@code train_loss, val_acc, test_acc, h2d_bytes, reuse_ratio,
 * rows_from_cache, rows_from_previous, rows_from_host, sampled_edges} per epoch, {@code batch_h2d_bytes} per
 * batch, and the summaries {@code bytes_naive, bytes_plain, bytes_match, bytes_match_reorder,
 * overlap_before, overlap_after, final_test_acc}. timings.csv: {@code sample_ms, id_map_ms,
 * gather_copy_ms, forward_ms, backward_ms, epoch_ms} per epoch, the throughputs {@code sampled_edges_per_s}
 * (sampled edges over the sample + ID-map time) and {@code train_seeds_per_s} (training seeds over the epoch
 * time) per epoch, and {@code prepare_ms}. Artifacts:
 * {@code overlap_before.csv}, {@code overlap_after.csv}, {@code phases.csv}.
 */
public final class SamplingExperiment implements Experiment<SamplingConfig, SamplingResult> {

    private static final int EVAL_BATCH = 2048;
    private static final int MAX_TREE_EDGES = 300;

    @Override
    public SamplingResult run(SamplingConfig c, RunContext ctx) {
        c.validate();
        ctx.checkpoint(0, "loading " + c.dataset());
        LabelledGraph data = SamplingData.load(c);
        CsrGraph g = data.graph();
        MetricsSink m = ctx.metrics();
        int n = g.numNodes();
        int dim = data.featureDim();
        float[] features = c.normalizeFeatures() ? SamplingData.rowNormalized(data.features(), dim) : data.features();
        SamplingKernels kernels = ctx.backend().kernels(SamplingKernels.class).orElseGet(CpuSamplingKernels::new);
        IdMapper mapper = "baseline".equals(c.idMapping()) ? new BaselineIdMapper() : null;
        NeighbourSampler sampler = new NeighbourSampler(g, c.fanoutArray(), c.replace(), kernels, mapper);
        SplittableRandom rnd = ctx.random();

        int[] seeds = c.train() ? data.train() : nonIsolated(g);
        if (seeds.length == 0) {
            throw new org.mlsysworkbench.algorithms.core.ConfigException("dataset", "no seed nodes: the graph has "
                    + "no training nodes / no edges");
        }
        int[] bfs = "clustered".equals(c.seedOrder()) ? SamplingData.bfsRank(g) : null;
        int numBatches = (seeds.length + c.batchSize() - 1) / c.batchSize();

        // ---- prepare: pre-sample one epoch, fill the static cache, compare movement strategies
        ctx.checkpoint(0.02, "pre-sampling one epoch");
        long p0 = System.nanoTime();
        List<SampledBatch> pre = sampleEpoch(sampler, epochBatches(seeds, c.batchSize(), bfs, rnd), c.seed(), 0, null,
                ctx);
        List<int[]> preInputs = inputsOf(pre);
        StaticFeatureCache cache = StaticFeatureCache.presample(features, dim, n, c.cacheRatio(), preInputs);
        double[][] overlap = BatchReorder.overlapMatrix(preInputs, n);
        int[] chain = BatchReorder.greedyChain(overlap);
        int[] identity = BatchReorder.identity(preInputs.size());
        long bytesNaive = bytes(features, dim, n, StaticFeatureCache.empty(n), false, preInputs, identity);
        long bytesPlain = bytes(features, dim, n, cache, false, preInputs, identity);
        long bytesMatch = bytes(features, dim, n, cache, true, preInputs, identity);
        long bytesMatchReorder = bytes(features, dim, n, cache, true, preInputs, chain);
        m.summary("prepare_ms", (System.nanoTime() - p0) / 1e6);
        double before = BatchReorder.meanConsecutiveOverlap(overlap, identity);
        double after = BatchReorder.meanConsecutiveOverlap(overlap, chain);
        m.summary("bytes_naive", bytesNaive);
        m.summary("bytes_plain", bytesPlain);
        m.summary("bytes_match", bytesMatch);
        m.summary("bytes_match_reorder", bytesMatchReorder);
        m.summary("overlap_before", before);
        m.summary("overlap_after", after);
        List<int[]> hops = hopSizes(pre.get(0));
        List<int[]> tree = tree(pre.get(0));

        // ---- train
        SampledModel model = c.train() ? model(c, dim, data.numClasses(), kernels, rnd.split()) : null;
        FeatureLoader loader = new FeatureLoader(features, dim, n, cache, c.match());
        PhaseClock clock = new PhaseClock();
        int phases = PhaseClock.Phase.values().length;
        double[][] epochPhaseMs = new double[c.epochs()][phases];
        double[] epochMs = new double[c.epochs()];
        double[] sampledEdgesPerS = new double[c.epochs()];
        double[] seedsPerS = new double[c.epochs()];
        double[] losses = new double[c.train() ? c.epochs() : 0];
        double[] valAcc = new double[losses.length];
        double[] testAcc = new double[losses.length];
        List<FeatureLoader.Stats> lastBatches = new ArrayList<>();
        for (int e = 0; e < c.epochs(); e++) {
            List<int[]> seedBatches = epochBatches(seeds, c.batchSize(), bfs, rnd);
            long t0 = System.nanoTime();
            clock.start();
            List<SampledBatch> batches = sampleEpoch(sampler, seedBatches, c.seed(), e + 1, clock, ctx);
            int[] order = BatchReorder.identity(batches.size());
            if (c.reorder()) {
                order = BatchReorder.greedyChain(BatchReorder.overlapMatrix(inputsOf(batches), n));
                clock.lap(PhaseClock.Phase.SAMPLE);
            }
            loader.reset();
            lastBatches.clear();
            double lossSum = 0;
            long edges = 0;
            for (int t = 0; t < order.length; t++) {
                ctx.cancel().throwIfCancelled();
                SampledBatch b = batches.get(order[t]);
                float[] x = new float[b.inputNodes().length * dim];
                FeatureLoader.Stats st = loader.assemble(b.inputNodes(), x);
                clock.lap(PhaseClock.Phase.GATHER);
                lastBatches.add(st);
                edges += b.numEdges();
                if (model != null) {
                    lossSum += model.trainStep(b, x, labelsOf(data.labels(), b.seeds()), c.dropout(), rnd, clock);
                }
            }
            // read right after the last lap: the epoch time is measured independently of the laps
            epochMs[e] = (System.nanoTime() - t0) / 1e6;
            for (PhaseClock.Phase p : PhaseClock.Phase.values()) {
                epochPhaseMs[e][p.ordinal()] = clock.nanos(p) / 1e6;
                m.record(p.key() + "_ms", e, epochPhaseMs[e][p.ordinal()]);
            }
            m.record("epoch_ms", e, epochMs[e]);
            double samplingSeconds = (clock.nanos(PhaseClock.Phase.SAMPLE) + clock.nanos(PhaseClock.Phase.ID_MAP))
                    / 1e9;
            sampledEdgesPerS[e] = samplingSeconds > 0 ? edges / samplingSeconds : 0;
            seedsPerS[e] = epochMs[e] > 0 ? seeds.length / (epochMs[e] / 1e3) : 0;
            m.record("sampled_edges_per_s", e, sampledEdgesPerS[e]);
            m.record("train_seeds_per_s", e, seedsPerS[e]);
            recordMovement(m, e, numBatches, lastBatches, edges);
            if (model != null) {
                losses[e] = lossSum / order.length;
                double[] acc = accuracy(model, g, data, features, kernels, c, data.val(), data.test());
                valAcc[e] = acc[0];
                testAcc[e] = acc[1];
                m.record("train_loss", e, losses[e]);
                m.record("val_acc", e, valAcc[e]);
                m.record("test_acc", e, testAcc[e]);
            }
            ctx.checkpoint(0.05 + 0.95 * (e + 1) / c.epochs(), String.format(Locale.ROOT, "epoch %d/%d%s", e + 1,
                    c.epochs(), model == null ? "" : String.format(Locale.ROOT, ", loss %.3f, val %.3f",
                            losses[e], valAcc[e])));
        }
        double finalTest = model == null ? Double.NaN : testAcc[c.epochs() - 1];
        if (model != null) {
            m.summary("final_test_acc", finalTest);
        }
        SamplingResult result = new SamplingResult(data + "", g.degreeHistogram(), epochPhaseMs, epochMs,
                lastBatches, overlap, BatchReorder.permute(overlap, chain), chain, before, after, bytesPlain,
                bytesMatch, bytesMatchReorder, bytesNaive, hops, tree, losses, valAcc, testAcc, finalTest,
                sampledEdgesPerS, seedsPerS);
        if (ctx.outDir() != null) {
            writeArtifacts(result, ctx);
        }
        return result;
    }

    /** The configured model, {@code [input, hidden..., classes]} wide, one layer per fanout. */
    static SampledModel model(SamplingConfig c, int inputWidth, int classes, SamplingKernels kernels,
                              SplittableRandom init) {
        int[] widths = new int[c.fanouts().size() + 1];
        Arrays.fill(widths, c.hidden());
        widths[0] = inputWidth;
        widths[widths.length - 1] = classes;
        Aggregation order = Aggregation.of(c.aggregation());
        if ("gcn".equals(c.model())) {
            return new GcnModel(widths, order, GcnModel.Norm.of(c.gcnNorm()), c.learningRate(), c.weightDecay(),
                    init);
        }
        return new SageModel(widths, order, kernels, init).asSampledModel(c.learningRate(), c.weightDecay());
    }

    /** Seed batches of one epoch: shuffled, or BFS-clustered with the batch order shuffled. */
    static List<int[]> epochBatches(int[] seeds, int batchSize, int[] bfsRank, SplittableRandom rnd) {
        int[] s = seeds.clone();
        if (bfsRank == null) {
            shuffle(s, rnd);
        } else {
            Integer[] boxed = Arrays.stream(s).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, (a, b) -> Integer.compare(bfsRank[a], bfsRank[b]));
            for (int i = 0; i < s.length; i++) {
                s[i] = boxed[i];
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < s.length; i += batchSize) {
            out.add(Arrays.copyOfRange(s, i, Math.min(s.length, i + batchSize)));
        }
        if (bfsRank != null) {
            for (int i = out.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int[] t = out.get(i);
                out.set(i, out.get(j));
                out.set(j, t);
            }
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static List<SampledBatch> sampleEpoch(NeighbourSampler sampler, List<int[]> seedBatches, long seed,
                                                  int epoch, PhaseClock clock, RunContext ctx) {
        List<SampledBatch> out = new ArrayList<>(seedBatches.size());
        for (int b = 0; b < seedBatches.size(); b++) {
            out.add(sampler.sample(seedBatches.get(b), seed, (long) epoch * seedBatches.size() + b, clock));
            ctx.cancel().throwIfCancelled();
        }
        return out;
    }

    private static List<int[]> inputsOf(List<SampledBatch> batches) {
        List<int[]> in = new ArrayList<>(batches.size());
        for (SampledBatch b : batches) {
            in.add(b.inputNodes());
        }
        return in;
    }

    /** Host-to-device bytes of one pass over {@code inputs} in {@code order}. */
    static long bytes(float[] features, int dim, int n, StaticFeatureCache cache, boolean match, List<int[]> inputs,
                      int[] order) {
        FeatureLoader l = new FeatureLoader(features, dim, n, cache, match);
        long total = 0;
        for (int t = 0; t < order.length; t++) {
            int[] in = inputs.get(order[t]);
            float[] out = new float[in.length * dim];
            total += l.assemble(in, out).hostToDeviceBytes();
        }
        return total;
    }

    private static void recordMovement(MetricsSink m, int epoch, int numBatches, List<FeatureLoader.Stats> batches,
                                       long edges) {
        long bytes = 0;
        long cache = 0;
        long prev = 0;
        long host = 0;
        long rows = 0;
        for (int t = 0; t < batches.size(); t++) {
            FeatureLoader.Stats s = batches.get(t);
            m.record("batch_h2d_bytes", (long) epoch * numBatches + t, s.hostToDeviceBytes());
            bytes += s.hostToDeviceBytes();
            cache += s.fromCache();
            prev += s.fromPrevious();
            host += s.fromHost();
            rows += s.rows();
        }
        m.record("h2d_bytes", epoch, bytes);
        m.record("rows_from_cache", epoch, cache);
        m.record("rows_from_previous", epoch, prev);
        m.record("rows_from_host", epoch, host);
        m.record("reuse_ratio", epoch, rows == 0 ? 0 : (double) (cache + prev) / rows);
        m.record("sampled_edges", epoch, edges);
    }

    private static int[] labelsOf(int[] labels, int[] seeds) {
        int[] y = new int[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            y[i] = labels[seeds[i]];
        }
        return y;
    }

    private static int[] nonIsolated(CsrGraph g) {
        return java.util.stream.IntStream.range(0, g.numNodes()).filter(v -> g.degree(v) > 0).toArray();
    }

    /**
     * Accuracy of each node set with full neighbourhoods (fanout -1 on every layer), no dropout. The sets are
     * evaluated together, {@link #EVAL_BATCH} seeds per sampled batch, so that their neighbourhoods are
     * sampled and transformed once; NaN for an empty set.
     */
    static double[] accuracy(SampledModel model, CsrGraph g, LabelledGraph data, float[] features,
                             SamplingKernels kernels, SamplingConfig c, int[]... sets) {
        int total = 0;
        for (int[] set : sets) {
            total += set.length;
        }
        int[] nodes = new int[total];
        int[] setOf = new int[total];
        int at = 0;
        for (int k = 0; k < sets.length; k++) {
            System.arraycopy(sets[k], 0, nodes, at, sets[k].length);
            Arrays.fill(setOf, at, at + sets[k].length, k);
            at += sets[k].length;
        }
        int[] all = new int[model.numLayers()];
        Arrays.fill(all, -1);
        NeighbourSampler full = new NeighbourSampler(g, all, false, kernels, null);
        int dim = data.featureDim();
        int[] correct = new int[sets.length];
        for (int i = 0; i < nodes.length; i += EVAL_BATCH) {
            int[] seeds = Arrays.copyOfRange(nodes, i, Math.min(nodes.length, i + EVAL_BATCH));
            SampledBatch b = full.sample(seeds, c.seed(), -1 - i, null);
            int[] in = b.inputNodes();
            float[] x = new float[in.length * dim];
            for (int p = 0; p < in.length; p++) {
                System.arraycopy(features, in[p] * dim, x, p * dim, dim);
            }
            int[] pred = SageModel.argmax(model.predict(b, x), data.numClasses());
            for (int k = 0; k < seeds.length; k++) {
                correct[setOf[i + k]] += pred[k] == data.labels()[seeds[k]] ? 1 : 0;
            }
        }
        double[] acc = new double[sets.length];
        for (int k = 0; k < sets.length; k++) {
            acc[k] = sets[k].length == 0 ? Double.NaN : (double) correct[k] / sets[k].length;
        }
        return acc;
    }

    /** Per hop of a batch, root first: {destinations, sources, edges}. */
    private static List<int[]> hopSizes(SampledBatch b) {
        List<int[]> hops = new ArrayList<>();
        for (int l = b.blocks().size() - 1; l >= 0; l--) {
            Block k = b.blocks().get(l);
            hops.add(new int[] {k.numDst(), k.numSrc(), k.numEdges()});
        }
        return hops;
    }

    /** The sampled computation tree of the batch's first seed: (hop, parent, child) in global ids. */
    private static List<int[]> tree(SampledBatch b) {
        List<int[]> edges = new ArrayList<>();
        int layers = b.blocks().size();
        List<Integer> frontier = List.of(0); // local destination ids in the current block
        for (int hop = 0; hop < layers && edges.size() < MAX_TREE_EDGES; hop++) {
            Block k = b.blocks().get(layers - 1 - hop);
            List<Integer> next = new ArrayList<>();
            for (int i : frontier) {
                for (int e = k.offsets()[i]; e < k.offsets()[i + 1] && edges.size() < MAX_TREE_EDGES; e++) {
                    int child = k.srcLocal()[e];
                    edges.add(new int[] {hop, k.srcNodes()[i], k.srcNodes()[child]});
                    next.add(child);
                }
            }
            frontier = next;
        }
        return edges;
    }

    private static void writeArtifacts(SamplingResult r, RunContext ctx) {
        try {
            Files.writeString(ctx.outDir().resolve("overlap_before.csv"), matrixCsv(r.overlapBefore()),
                    StandardCharsets.UTF_8);
            Files.writeString(ctx.outDir().resolve("overlap_after.csv"), matrixCsv(r.overlapAfter()),
                    StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder("epoch");
            for (PhaseClock.Phase p : PhaseClock.Phase.values()) {
                sb.append(',').append(p.key()).append("_ms");
            }
            sb.append(",epoch_ms\n");
            for (int e = 0; e < r.epochMs().length; e++) {
                sb.append(e);
                for (double v : r.epochPhaseMs()[e]) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.3f", v));
                }
                sb.append(',').append(String.format(Locale.ROOT, "%.3f", r.epochMs()[e])).append('\n');
            }
            Files.writeString(ctx.outDir().resolve("phases.csv"), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String matrixCsv(double[][] m) {
        StringBuilder sb = new StringBuilder();
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", row[j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
