package org.mlsysworkbench.algorithms.graph.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.testing.TestData;

class SamplingExperimentTest {

    private static SamplingResult run(SamplingConfig c, RecordingMetricsSink sink) {
        return new SamplingExperiment().run(c, RunContext.inMemory(c.seed()).withMetrics(sink));
    }

    @Test
    void graphSageOnCoraReachesSeventyEightPercentMeanOfFiveSeeds() {
        SamplingConfig base = SamplingConfig.cora(TestData.path("graph/cora/derived").toString());
        double sum = 0;
        StringBuilder each = new StringBuilder();
        for (long seed = 1; seed <= 5; seed++) {
            SamplingResult r = run(base.withRun(seed, "random", base.epochs()), new RecordingMetricsSink());
            sum += r.finalTestAccuracy();
            each.append(String.format(java.util.Locale.ROOT, " %.3f", r.finalTestAccuracy()));
        }
        double mean = sum / 5;
        // issue 5 acceptance: >= 78% test accuracy on the standard split, mean of 5 seeds
        assertThat(mean).as("per-seed test accuracy:" + each).isGreaterThanOrEqualTo(0.78);
    }

    @Test
    void gcnOnCoraReachesSeventyEightPercentMeanOfFiveSeeds() {
        SamplingConfig base = SamplingConfig.coraGcn(TestData.path("graph/cora/derived").toString());
        double sum = 0;
        StringBuilder each = new StringBuilder();
        for (long seed = 1; seed <= 5; seed++) {
            SamplingResult r = run(base.withRun(seed, "random", base.epochs()), new RecordingMetricsSink());
            sum += r.finalTestAccuracy();
            each.append(String.format(java.util.Locale.ROOT, " %.3f", r.finalTestAccuracy()));
        }
        double mean = sum / 5;
        // GCN with sampled blocks (block-local symmetric degrees, self-loops), Cora standard split, mean of 5
        // seeds: Kipf and Welling report 81.5% full-batch; the bar is the 78% for sampled training
        assertThat(mean).as("per-seed test accuracy:" + each).isGreaterThanOrEqualTo(0.78);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sage", "gcn"})
    void phasesAddUpToTheEpochTime(String model) {
        RecordingMetricsSink sink = new RecordingMetricsSink();
        SamplingResult r = run(SamplingConfig.defaults().withModel(model, "both").withRun(3, "random", 4), sink);
        for (int e = 0; e < r.epochMs().length; e++) {
            double sum = 0;
            for (double v : r.epochPhaseMs()[e]) {
                assertThat(v).isGreaterThanOrEqualTo(0);
                sum += v;
            }
            // F31: phases add up to the measured epoch time within 2%
            assertThat(Math.abs(sum - r.epochMs()[e]))
                    .as("epoch " + e + " phases " + java.util.Arrays.toString(r.epochPhaseMs()[e]) + " epoch "
                            + r.epochMs()[e])
                    .isLessThanOrEqualTo(0.02 * r.epochMs()[e]);
            for (PhaseClock.Phase p : PhaseClock.Phase.values()) {
                assertThat(r.epochPhaseMs()[e][p.ordinal()]).as(p.key()).isPositive();
            }
        }
        assertThat(sink.series("sample_ms")).hasSize(4);
        assertThat(sink.series("train_loss")).hasSize(4);
        assertThat(sink.last("train_loss")).isLessThan(sink.series("train_loss").get(0).value());
        // throughputs per epoch, measured (timings.csv names), and the deterministic edge count beside them
        assertThat(sink.series("sampled_edges_per_s")).hasSize(4);
        assertThat(sink.series("train_seeds_per_s")).hasSize(4);
        assertThat(java.util.Arrays.stream(r.sampledEdgesPerS()).min().orElse(0)).isPositive();
        assertThat(java.util.Arrays.stream(r.trainSeedsPerS()).min().orElse(0)).isPositive();
        assertThat(org.mlsysworkbench.algorithms.core.MeasurementNames.isMeasurement("sampled_edges_per_s"))
                .isTrue();
        assertThat(sink.series("sampled_edges").get(0).value()).isPositive();
    }

    @Test
    void matchAndReorderSaveBytesOnClusteredSeeds() {
        SamplingConfig c = SamplingConfig.clusteredIo().withRun(5, "clustered", 1);
        SamplingResult r = run(c, new RecordingMetricsSink());
        assertThat(r.bytesPlain()).isLessThan(r.bytesNaive());          // cache saves
        assertThat(r.bytesMatch()).isLessThan(r.bytesPlain());          // match saves
        assertThat(r.bytesMatchReorder()).isLessThan(r.bytesMatch());   // reorder helps clustered batches
        assertThat(r.meanOverlapAfter()).isGreaterThan(r.meanOverlapBefore());
        assertThat(r.chain()).hasSize(r.overlapBefore().length);
        assertThat(r.hops()).hasSize(2);
        assertThat(r.tree()).isNotEmpty();
        // every epoch batch is a BFS window; random order wastes most of that locality
        SamplingResult random = run(c.withRun(5, "random", 1), new RecordingMetricsSink());
        assertThat(random.meanOverlapAfter() - random.meanOverlapBefore())
                .isLessThan(r.meanOverlapAfter() - r.meanOverlapBefore());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sage", "gcn"})
    void sameConfigGivesIdenticalMetrics(String model) {
        SamplingConfig c = SamplingConfig.defaults().withModel(model, "both").withRun(8, "random", 2);
        RecordingMetricsSink a = new RecordingMetricsSink();
        RecordingMetricsSink b = new RecordingMetricsSink();
        run(c, a);
        run(c, b);
        for (String name : a.names()) {
            if (!org.mlsysworkbench.algorithms.core.MeasurementNames.isMeasurement(name)) {
                assertThat(b.series(name)).as(name).isEqualTo(a.series(name));
            }
        }
    }

    @Test
    void badGraphFilesReachTheRunAsConfigErrorsNamingFileAndLine(@TempDir Path dir) throws Exception {
        SamplingConfig io = SamplingConfig.clusteredIo().withRun(1, "random", 1);
        Path edges = dir.resolve("edges.txt");
        Files.writeString(edges, "0 1\n1 2\n2 x\n");
        SamplingConfig text = withData(io, "edgelist", edges.toString());
        assertThatThrownBy(() -> run(text, new RecordingMetricsSink())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataPath").hasMessageContaining(edges + ":3: ")
                .hasMessageContaining("dst 'x' is not an integer");
        Files.writeString(edges, "# only a comment\n");
        assertThatThrownBy(() -> run(text, new RecordingMetricsSink())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("empty graph");
        byte[] npz = Files.readAllBytes(TestData.path("graph/cora/gnn-benchmark/cora.npz"));
        Path half = dir.resolve("half.npz");
        Files.write(half, Arrays.copyOf(npz, npz.length / 3));
        SamplingConfig truncated = withData(io, "npz", half.toString());
        assertThatThrownBy(() -> run(truncated, new RecordingMetricsSink())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(half.toString()).hasMessageContaining("truncated or corrupt");
        // fanout 0 and fanouts above the sampler's limit are config errors before anything runs
        assertThatThrownBy(() -> run(withFanouts(io, List.of(0, 5)), new RecordingMetricsSink()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fanouts[0]");
        assertThatThrownBy(() -> run(withFanouts(io, List.of(5, 1 << 20)), new RecordingMetricsSink()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fanouts[1]").hasMessageContaining("4096");
    }

    private static SamplingConfig withData(SamplingConfig c, String dataset, String path) {
        return new SamplingConfig(c.schemaVersion(), c.seed(), dataset, path, "", c.sbmNodes(), c.sbmClasses(),
                c.sbmMeanDegree(), c.sbmHomophily(), c.sbmFeatureDim(), c.sbmFeatureNoise(), c.rmatPreset(),
                c.rmatScale(), c.rmatFeatureDim(), c.fanouts(), c.replace(), c.batchSize(), c.seedOrder(),
                c.idMapping(), c.cacheRatio(), c.match(), c.reorder(), c.aggregation(), c.train(), c.hidden(),
                c.epochs(), c.learningRate(), c.weightDecay(), c.dropout(), c.normalizeFeatures(), c.model(),
                c.gcnNorm());
    }

    private static SamplingConfig withFanouts(SamplingConfig c, List<Integer> fanouts) {
        return new SamplingConfig(c.schemaVersion(), c.seed(), c.dataset(), c.dataPath(), c.datasetName(),
                c.sbmNodes(), c.sbmClasses(), c.sbmMeanDegree(), c.sbmHomophily(), c.sbmFeatureDim(),
                c.sbmFeatureNoise(), c.rmatPreset(), c.rmatScale(), c.rmatFeatureDim(), fanouts, c.replace(),
                c.batchSize(), c.seedOrder(), c.idMapping(), c.cacheRatio(), c.match(), c.reorder(), c.aggregation(),
                c.train(), c.hidden(), c.epochs(), c.learningRate(), c.weightDecay(), c.dropout(),
                c.normalizeFeatures(), c.model(), c.gcnNorm());
    }

    @Test
    void badConfigsNameTheField() {
        SamplingConfig d = SamplingConfig.defaults();
        assertThatThrownBy(() -> new SamplingConfig(1, 1, "sbm", "", "", 2708, 7, 3.9, 0.81, 64, 2, "products", 14,
                100, List.of(10, 0), false, 64, "random", "fused", 0.1, true, true, "memory-aware", true, 64, 2, 0.01,
                5e-4, 0.5, false, "sage", "both").validate()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fanouts[1]");
        assertThatThrownBy(() -> d.withMovement(1.5, true, true).validate()).hasMessageContaining("cacheRatio");
        SamplingConfig missing = new SamplingConfig(1, 1, "tsv", "/nonexistent/dir", "cora", 0, 0, 0, 0, 0, 0,
                "products", 14, 100, List.of(5), false, 64, "random", "fused", 0.1, true, true, "memory-aware", true,
                64, 2, 0.01, 5e-4, 0.5, false, "sage", "both");
        assertThatThrownBy(() -> run(missing, new RecordingMetricsSink())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataPath").hasMessageContaining("/nonexistent/dir/cora.labels.tsv");
        assertThatThrownBy(() -> new SamplingConfig(1, 1, "rmat", "", "", 0, 0, 0, 0, 0, 0, "products", 10, 16,
                List.of(5), false, 64, "random", "fused", 0.1, true, true, "memory-aware", true, 64, 2, 0.01, 5e-4,
                0.5, false, "sage", "both").validate()).hasMessageContaining("train");
        assertThatThrownBy(() -> new SamplingConfig(1, 1, "sbm", "", "", 2708, 7, 3.9, 0.81, 64, 2, "products", 14,
                100, List.of(100_000), false, 64, "random", "fused", 0.1, true, true, "memory-aware", true, 64, 2,
                0.01, 5e-4, 0.5, false, "sage", "both").validate()).hasMessageContaining("fanouts[0]");
    }
}
