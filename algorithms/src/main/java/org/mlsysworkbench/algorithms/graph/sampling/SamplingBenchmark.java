package org.mlsysworkbench.algorithms.graph.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;

/**
 * {@code bench sampling}: FastGL's three ideas measured against their baselines in one run, on one backend.
 * <ol>
 *   <li>ID mapping: one hop of {@code sample_neighbors + to_block} on DGL's grid (seeds 200 / 5,000 / 20,000 x
 *       fanout 5 / 20 / 40; 3 warm-ups, then the median of 5 ({@code --quick}) or 21 calls: medians, because
 *       the timings share the machine), fused vs baseline map, on an R-MAT
 *       products-like graph (scale 16; 14 with {@code --quick}) and Cora (from the shared data folder; a
 *       Cora-sized SBM, named so, when the folder is missing). Rows: sampled edges/s of
 *       each, the map-only time ratio and the end-to-end ratio (baseline time / fused time).</li>
 *   <li>Feature movement: host-to-device bytes of one epoch (all nodes as seeds, batch 1,024, fanouts
 *       [5, 10, 15]) at cache ratios 0, 10 % and 50 %, for cache only, + match, + match + reorder, with random
 *       and clustered seeds. Rows: bytes saved relative to cache-only, and the consecutive-batch overlap.</li>
 *   <li>Aggregation: GraphSAGE forward + backward over the same sampled batches (602 input features as
 *       Reddit, hidden 64), naive vs memory-aware. Rows: time ratio and gathered bytes of each. Then GCN
 *       training steps (forward, backward, Adam) over the same batches, naive vs memory-aware.</li>
 * </ol>
 */
public final class SamplingBenchmark implements BenchmarkSuite {

    private static final int[] GRID_SEEDS = {200, 5000, 20000};
    /** Cora's TSV folder, relative to the shared data root ({@link SamplingData#resolve}). */
    private static final String CORA_DIR = "graph/cora/derived";
    private static final int[] GRID_FANOUTS = {5, 20, 40};

    @Override
    public String id() {
        return SamplingBench.ID;
    }

    @Override
    public String description() {
        return "fused vs baseline ID mapping on DGL's grid, bytes saved by match + reorder, memory-aware vs naive "
                + "aggregation (GraphSAGE and GCN)";
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        SamplingKernels kernels = backend.kernels(SamplingKernels.class).orElseGet(CpuSamplingKernels::new);
        int calls = quick ? 5 : 21;
        CsrGraph rmat = RmatGenerator.generate(RmatGenerator.Params.productsLike(quick ? 14 : 16), 1);
        String on = " [sampling and fused map on " + backend.id()
                + (backend.functionalOnly() ? ", functional-only" : "") + "; baseline map on the CPU]";
        idMapping(report, "rmat-products-" + (quick ? 14 : 16) + on, rmat, kernels, calls, cancel);
        Path coraDir = SamplingData.resolve(CORA_DIR);
        if (Files.isRegularFile(coraDir.resolve("cora.labels.tsv"))) {
            CsrGraph cora;
            try {
                cora = TsvDatasetLoader.load(coraDir, "cora").graph();
            } catch (IOException e) {
                throw new UncheckedIOException("bench sampling: cannot read Cora from " + coraDir, e);
            }
            idMapping(report, "cora" + on, cora, kernels, calls, cancel);
        } else {
            // no shared data folder: a generated graph of Cora's size and degree profile stands in, named so
            LabelledGraph sbm = SbmGenerator.generate(SbmGenerator.Params.coraLike(), 1);
            idMapping(report, "sbm-cora-sized (no " + coraDir + ")" + on, sbm.graph(), kernels, calls, cancel);
        }
        movement(report, rmat, quick, cancel);
        aggregation(report, quick, kernels, cancel);
    }

    private void idMapping(BenchmarkReport report, String graphName, CsrGraph g, SamplingKernels kernels, int calls,
                           CancellationToken cancel) {
        SplittableRandom r = new SplittableRandom(7);
        BaselineIdMapper baseline = new BaselineIdMapper();
        // JIT warm-up of both paths before anything is timed
        int[] warm = distinct(g.numNodes(), Math.min(2000, g.numNodes()), r);
        for (int i = 0; i < 30; i++) {
            HopSample h = kernels.sampleHop(g, warm, 10, false, i);
            baseline.map(h);
            kernels.fusedMap(h);
        }
        int previous = -1;
        double logMapRatio = 0;
        double logE2eRatio = 0;
        int cases = 0;
        for (int numSeeds : GRID_SEEDS) {
            if (Math.min(numSeeds, g.numNodes()) == previous) {
                continue; // the graph has fewer nodes than this grid point
            }
            previous = Math.min(numSeeds, g.numNodes());
            int[] seeds = distinct(g.numNodes(), previous, r);
            for (int fanout : GRID_FANOUTS) {
                cancel.throwIfCancelled();
                long[][] sampleNs = new long[2][calls];
                long[][] mapNs = new long[2][calls];
                long edges = 0;
                for (int call = -3; call < calls; call++) {
                    for (int strategy = 0; strategy < 2; strategy++) {
                        long t0 = System.nanoTime();
                        HopSample h = kernels.sampleHop(g, seeds, fanout, false, CounterRng.hopSeed(1, call + 3, 0));
                        long t1 = System.nanoTime();
                        Block b = strategy == 0 ? baseline.map(h) : kernels.fusedMap(h);
                        long t2 = System.nanoTime();
                        if (call >= 0) {
                            sampleNs[strategy][call] = t1 - t0;
                            mapNs[strategy][call] = t2 - t1;
                            edges += strategy == 0 ? b.numEdges() : 0;
                        }
                    }
                }
                String c = String.format(Locale.ROOT, "%s seeds=%d fanout=%d", graphName, seeds.length, fanout);
                double edgesPerCall = (double) edges / calls;
                double baseMs = median(sum(sampleNs[0], mapNs[0])) / 1e6;
                double fusedMs = median(sum(sampleNs[1], mapNs[1])) / 1e6;
                double baseMap = median(mapNs[0]) / 1e6;
                double fusedMap = median(mapNs[1]) / 1e6;
                report.add(id(), c + " baseline", "sampled edges/s", edgesPerCall / (baseMs / 1e3), "edges/s",
                        String.format(Locale.ROOT, "median %.3f ms per sample+map, map %.3f ms", baseMs, baseMap));
                report.add(id(), c + " fused", "sampled edges/s", edgesPerCall / (fusedMs / 1e3), "edges/s",
                        String.format(Locale.ROOT, "median %.3f ms per sample+map, map %.3f ms", fusedMs, fusedMap));
                report.add(id(), c, "ID map baseline/fused", baseMap / fusedMap, "x",
                        "map only, same sampled edges, medians of " + calls + " calls after 3 warm-ups");
                report.add(id(), c, "sample+map baseline/fused", baseMs / fusedMs, "x", "end to end, one hop");
                logMapRatio += Math.log(baseMap / fusedMap);
                logE2eRatio += Math.log(baseMs / fusedMs);
                cases++;
            }
        }
        report.add(id(), graphName + " DGL grid", "ID map baseline/fused (geometric mean)",
                Math.exp(logMapRatio / cases), "x", cases + " grid points");
        report.add(id(), graphName + " DGL grid", "sample+map baseline/fused (geometric mean)",
                Math.exp(logE2eRatio / cases), "x", cases + " grid points");
    }

    private static long[] sum(long[] a, long[] b) {
        long[] s = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    private void movement(BenchmarkReport report, CsrGraph g, boolean quick, CancellationToken cancel) {
        int n = g.numNodes();
        int dim = RmatGenerator.PRODUCTS_FEATURES;
        float[] features = new float[n * dim];
        int[] seeds = java.util.stream.IntStream.range(0, n).filter(v -> g.degree(v) > 0).toArray();
        NeighbourSampler sampler = new NeighbourSampler(g, new int[] {5, 10, 15}, false, new CpuSamplingKernels(),
                null);
        int[] bfs = SamplingData.bfsRank(g);
        for (String order : new String[] {"random", "clustered"}) {
            List<int[]> batches = SamplingExperiment.epochBatches(seeds, 1024, order.equals("clustered") ? bfs : null,
                    new SplittableRandom(3));
            List<int[]> inputs = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                cancel.throwIfCancelled();
                inputs.add(sampler.sample(batches.get(b), 1, b, null).inputNodes());
            }
            double[][] m = BatchReorder.overlapMatrix(inputs, n);
            int[] chain = BatchReorder.greedyChain(m);
            int[] identity = BatchReorder.identity(inputs.size());
            String base = "rmat-products-" + (quick ? 14 : 16) + " " + order + " seeds, batch 1024, " + inputs.size()
                    + " batches";
            double before = BatchReorder.meanConsecutiveOverlap(m, identity);
            double after = BatchReorder.meanConsecutiveOverlap(m, chain);
            report.add(id(), base, "consecutive overlap before reorder", 100 * before, "%",
                    "mean |S_i ∩ S_i+1| / |S_i+1|");
            report.add(id(), base, "consecutive overlap after reorder", 100 * after, "%", "greedy chain");
            for (double ratio : new double[] {0, 0.1, 0.5}) {
                StaticFeatureCache cache = StaticFeatureCache.presample(features, dim, n, ratio, inputs);
                long naive = SamplingExperiment.bytes(features, dim, n, StaticFeatureCache.empty(n), false, inputs,
                        identity);
                long plain = SamplingExperiment.bytes(features, dim, n, cache, false, inputs, identity);
                long match = SamplingExperiment.bytes(features, dim, n, cache, true, inputs, identity);
                long both = SamplingExperiment.bytes(features, dim, n, cache, true, inputs, chain);
                String cs = base + String.format(Locale.ROOT, ", cache %.0f%%", 100 * ratio);
                report.add(id(), cs, "bytes cache only", plain, "B", String.format(Locale.ROOT,
                        "all rows from host: %d B", naive));
                report.add(id(), cs, "bytes match", match, "B", "");
                report.add(id(), cs, "bytes match+reorder", both, "B", "");
                report.add(id(), cs, "saved by match", 100.0 * (plain - match) / plain, "%", "vs cache only");
                report.add(id(), cs, "saved by match+reorder", 100.0 * (plain - both) / plain, "%", "vs cache only");
            }
        }
    }

    private void aggregation(BenchmarkReport report, boolean quick, SamplingKernels kernels,
                             CancellationToken cancel) {
        int in = RmatGenerator.REDDIT_FEATURES;
        LabelledGraph g = SbmGenerator.generate(new SbmGenerator.Params(quick ? 5000 : 20000, 41, 15, 0.7, 2.2, in,
                1.0, 20, 500, 1000), 2);
        NeighbourSampler sampler = new NeighbourSampler(g.graph(), new int[] {10, 25}, false, kernels, null);
        SplittableRandom r = new SplittableRandom(5);
        int batches = quick ? 4 : 10;
        List<SampledBatch> sampled = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            sampled.add(sampler.sample(distinct(g.numNodes(), 512, r), 2, b, null));
        }
        long[] ns = new long[2];
        long[] kernelNs = new long[2];
        long[] gathered = new long[2];
        for (Aggregation a : Aggregation.values()) {
            SageModel model = new SageModel(new int[] {in, 64, 41}, a, kernels, new SplittableRandom(1));
            for (int rep = -1; rep < 3; rep++) {
                for (SampledBatch b : sampled) {
                    cancel.throwIfCancelled();
                    int[] inputs = b.inputNodes();
                    float[] x = new float[inputs.length * in];
                    for (int p = 0; p < inputs.length; p++) {
                        System.arraycopy(g.features(), inputs[p] * in, x, p * in, in);
                    }
                    int[] y = new int[b.seeds().length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = g.labels()[b.seeds()[i]];
                    }
                    Block first = b.blocks().get(0);
                    int width = a == Aggregation.NAIVE ? in : 64;
                    float[] src = new float[first.numSrc() * width];
                    System.arraycopy(x, 0, src, 0, Math.min(x.length, src.length));
                    float[] dst = new float[first.numDst() * width];
                    long k0 = System.nanoTime();
                    kernels.aggregateMean(first, src, width, dst);
                    long k1 = System.nanoTime();
                    long t0 = System.nanoTime();
                    model.forward(b, x, 0, null);
                    model.backward(y);
                    long t1 = System.nanoTime();
                    if (rep >= 0) {
                        ns[a.ordinal()] += t1 - t0;
                        kernelNs[a.ordinal()] += k1 - k0;
                        gathered[a.ordinal()] += 4L * (b.blocks().get(0).numEdges() * (a == Aggregation.NAIVE ? in
                                : 64) + (long) b.blocks().get(1).numEdges() * (a == Aggregation.NAIVE ? 64 : 41));
                    }
                }
            }
        }
        String c = "sbm " + g.numNodes() + " nodes, " + in + " features, hidden 64, fanouts [10, 25], batch 512";
        report.add(id(), c, "forward+backward naive", ns[0] / 1e6 / (3.0 * batches), "ms", "per batch");
        report.add(id(), c, "forward+backward memory-aware", ns[1] / 1e6 / (3.0 * batches), "ms", "per batch");
        report.add(id(), c, "layer forward+backward naive/memory-aware", (double) ns[0] / ns[1], "x",
                "time ratio, same batches; memory-aware transforms every source row first");
        report.add(id(), c, "first-layer aggregation kernel naive/memory-aware", (double) kernelNs[0] / kernelNs[1],
                "x", "gathering " + in + "-wide input rows vs 64-wide transformed rows");
        report.add(id(), c, "gathered bytes naive/memory-aware", (double) gathered[0] / gathered[1], "x",
                Arrays.toString(gathered) + " B over the timed passes");
        gcnAggregation(report, c, g, sampled, cancel);
    }

    /** GCN (symmetric, block-local degrees) training steps over the same batches, naive vs memory-aware. */
    private void gcnAggregation(BenchmarkReport report, String c, LabelledGraph g, List<SampledBatch> sampled,
                                CancellationToken cancel) {
        int in = g.featureDim();
        long[] ns = new long[2];
        for (Aggregation a : Aggregation.values()) {
            GcnModel model = new GcnModel(new int[] {in, 64, 41}, a, GcnModel.Norm.BOTH, 0.01, 5e-4,
                    new SplittableRandom(1));
            for (int rep = -1; rep < 3; rep++) {
                for (SampledBatch b : sampled) {
                    cancel.throwIfCancelled();
                    int[] inputs = b.inputNodes();
                    float[] x = new float[inputs.length * in];
                    for (int p = 0; p < inputs.length; p++) {
                        System.arraycopy(g.features(), inputs[p] * in, x, p * in, in);
                    }
                    int[] y = new int[b.seeds().length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = g.labels()[b.seeds()[i]];
                    }
                    long t0 = System.nanoTime();
                    model.trainStep(b, x, y, 0, null, null);
                    long t1 = System.nanoTime();
                    if (rep >= 0) {
                        ns[a.ordinal()] += t1 - t0;
                    }
                }
            }
        }
        int batches = sampled.size();
        report.add(id(), c, "GCN step naive", ns[0] / 1e6 / (3.0 * batches), "ms",
                "per batch: forward, backward, Adam; tensor engine, CSR block matrix");
        report.add(id(), c, "GCN step memory-aware", ns[1] / 1e6 / (3.0 * batches), "ms", "per batch");
        report.add(id(), c, "GCN step naive/memory-aware", (double) ns[0] / ns[1], "x",
                "time ratio, same batches; memory-aware = A·(X·W), naive = (A·X)·W");
    }

    private static int[] distinct(int n, int k, SplittableRandom r) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, k);
    }
}
