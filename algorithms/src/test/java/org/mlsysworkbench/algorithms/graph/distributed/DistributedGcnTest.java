package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;
import org.mlsysworkbench.algorithms.graph.partition.Partition;
import org.mlsysworkbench.algorithms.graph.partition.Partitioners;
import org.mlsysworkbench.algorithms.graph.quant.GcnHyper;
import org.mlsysworkbench.algorithms.graph.quant.GcnTrainer;
import org.mlsysworkbench.algorithms.graph.quant.QuantGcn;
import org.mlsysworkbench.algorithms.testing.TestData;

class DistributedGcnTest {

    private static LabelledGraph cora;

    @BeforeAll
    static void load() throws Exception {
        cora = TsvDatasetLoader.load(TestData.path("graph/cora/derived"), "cora");
    }

    private static List<EpochStats> train(Partition p, DistributedSettings s, long seed, int epochs) {
        try (DistributedGcn gcn = new DistributedGcn(cora, p, s, seed)) {
            return gcn.train(epochs, CancellationToken.none(), null);
        }
    }

    @Test
    void oneWorkerWithoutQuantizationIsPlainFullGraphTraining() {
        // the reference: the project's plain full-graph GCN (X·W first, then A^), same init and dropout draws
        GcnHyper kipf = new GcnHyper(16, 30, 0.01, 5e-4, 0.5, 0, 0, 0, 0, 0, 1, 4, 4, 4);
        GcnTrainer.Result ref = GcnTrainer.train(cora, QuantGcn.Scheme.FP32, kipf, 7, CancellationToken.none(), null);
        List<EpochStats> one = train(Partitioners.random(cora.numNodes(), 1, 1),
                DistributedSettings.coraOneBit().withBits(32).withStaleness(0), 7, 30);
        for (int e = 0; e < 30; e++) {
            // same maths, different float summation order ((A^X)W vs A^(XW)): losses agree to 1e-4 relative
            assertThat(one.get(e).loss()).as("epoch " + e).isCloseTo(ref.lossCurve()[e],
                    within(1e-4 * ref.lossCurve()[e]));
        }
        assertThat(one.get(29).totalBytes()).isZero();
    }

    @Test
    void fourWorkersSynchronousFp32EqualOneWorker() {
        Partition four = Partitioners.labelPropagation(cora.graph(), 4, 3, 10, 0.1);
        DistributedSettings exact = DistributedSettings.coraOneBit().withBits(32).withStaleness(0);
        List<EpochStats> a = train(Partitioners.random(cora.numNodes(), 1, 1), exact, 5, 40);
        List<EpochStats> b = train(four, exact, 5, 40);
        for (int e = 0; e < 40; e++) {
            // only the order of float sums over workers differs: 1e-5 relative
            assertThat(b.get(e).loss()).as("epoch " + e).isCloseTo(a.get(e).loss(), within(1e-5 * a.get(e).loss()));
        }
        assertThat(b.get(39).totalBytes()).isEqualTo(b.get(39).totalBytesFp32()).isPositive();
    }

    @Test
    void oneBitMessagesWithStalenessKeepCoraAccuracyWithinOneAndAHalfPoints() {
        Partition four = Partitioners.labelPropagation(cora.graph(), 4, 3, 10, 0.1);
        double fp32 = 0;
        double oneBit = 0;
        int seeds = 5;
        for (int s = 0; s < seeds; s++) {
            fp32 += SylvieExperiment.valSelected(train(four, DistributedSettings.coraOneBit().withBits(32).withStaleness(0), s, 200));
            oneBit += SylvieExperiment.valSelected(train(four, DistributedSettings.coraOneBit(), s, 200));
        }
        fp32 /= seeds;
        oneBit /= seeds;
        // issue acceptance: 4 partitions, 1-bit within 1.5 points of FP32 (mean of 5 seeds)
        assertThat(fp32).as("FP32 synchronous").isGreaterThan(0.78);
        assertThat(oneBit).as("1-bit, S = 1, vs FP32 %.4f", fp32).isGreaterThanOrEqualTo(fp32 - 0.015);
    }

    @Test
    void pipeliningChangesTimingNeverTheNumbersAndRecordsSpans() {
        Partition four = Partitioners.labelPropagation(cora.graph(), 4, 3, 10, 0.1);
        DistributedSettings oneBit = DistributedSettings.coraOneBit().withStaleness(0);
        List<EpochStats> sync = train(four, oneBit.withPipelining(false), 11, 6);
        List<EpochStats> piped = train(four, oneBit.withPipelining(true), 11, 6);
        for (int e = 0; e < 6; e++) {
            // same rows in the same order, same counter-based draws: bit-identical losses
            assertThat(piped.get(e).loss()).isEqualTo(sync.get(e).loss());
            assertThat(piped.get(e).totalBytes()).isEqualTo(sync.get(e).totalBytes());
        }
        EpochStats p = piped.get(5);
        assertThat(p.pipelined()).isTrue();
        for (int wk = 0; wk < 4; wk++) {
            final int w = wk;
            // per worker: compute spans of inner and boundary rows of the exchanged layer, and link spans
            assertThat(p.spans()).anyMatch(s -> s.worker() == w && s.kind() == Span.Kind.COMPUTE_BOUNDARY
                    && s.direction() == 0 && s.layer() == 1);
            assertThat(p.spans()).anyMatch(s -> s.worker() == w && s.kind() == Span.Kind.SEND);
            assertThat(p.spans()).anyMatch(s -> s.worker() == w && s.kind() == Span.Kind.RECEIVE);
        }
        assertThat(p.spans()).allMatch(s -> s.endMs() >= s.startMs());
        assertThat(sync.get(5).spans()).noneMatch(s -> s.kind() == Span.Kind.COMPUTE_BOUNDARY);
        // one message per ordered pair of neighbouring parts, per exchanged layer and direction
        assertThat(p.transfers()).hasSize(2 * java.util.Arrays.stream(p.recvMessages()[0][1]).sum());
        assertThat(p.transfers()).allMatch(x -> x.bytes() > 0 && x.modelledMs() > 0.005);
    }

    @Test
    void staleBuffersLetWorkersProceedWithoutWaitingAndTheAdaptorWarmsUpSynchronously() {
        Partition four = Partitioners.labelPropagation(cora.graph(), 4, 3, 10, 0.1);
        List<EpochStats> run = train(four, DistributedSettings.coraOneBit().withStaleness(2).withAdaptor(3, false),
                4, 8);
        for (EpochStats e : run) {
            assertThat(e.staleness()).as("epoch %d", e.epoch()).isEqualTo(e.epoch() < 3 ? 0 : 2);
        }
        for (EpochStats e : run.subList(3, 8)) {
            // the data of epoch t - 2 landed before epoch t - 1 ended: no worker ever blocks
            assertThat(e.stalls()).as("epoch %d", e.epoch()).isZero();
            assertThat(e.spans()).noneMatch(s -> s.kind() == Span.Kind.WAIT);
        }
        List<EpochStats> fallback = train(four, DistributedSettings.coraOneBit().withStaleness(2).withAdaptor(0, true),
                4, 30);
        for (int t = 2; t < 30; t++) {
            boolean rose = fallback.get(t - 1).loss() > fallback.get(t - 2).loss();
            assertThat(fallback.get(t).staleness()).as("epoch %d", t).isEqualTo(rose ? 0 : 2);
        }
    }
}
