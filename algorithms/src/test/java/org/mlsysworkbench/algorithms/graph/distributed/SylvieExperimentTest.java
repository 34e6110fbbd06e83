package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.MeasurementNames;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;

class SylvieExperimentTest {

    @Test
    void reportsVariantsBytesAndTheTimeStudy() {
        SylvieConfig c = new SylvieConfig(1, 2, "sbm", 4, "lp", 1, List.of(0, 2), 0, false, 1, 12, 10, 5, 3000,
                List.of(2, 4), 128, 1);
        RecordingMetricsSink sink = new RecordingMetricsSink();
        SylvieResult r = new SylvieExperiment().run(c, RunContext.inMemory(2).withMetrics(sink));
        assertThat(r.variants()).extracting(SylvieResult.Variant::name)
                .containsExactly("FP32 sync", "1-bit S=0", "1-bit S=2");
        assertThat(r.variants().get(0).compression()).isEqualTo(1.0);
        // one bit per value plus 32 bits of bfloat16 side information per row, at width 16: 512 / 48 = 10.7x
        assertThat(r.variants().get(1).compression()).isBetween(9.0, 11.0);
        assertThat(r.scale()).hasSize(2);
        for (SylvieResult.ScaleRow row : r.scale()) {
            // width 128: 32 * 128 / (128 + 32) = 25.6x including the per-row side information (acceptance: >= 25x)
            assertThat((double) row.fp32BytesPerEpoch() / row.bytesPerEpoch()).isGreaterThanOrEqualTo(25.0);
            assertThat(row.codedPipelinedMs()).isLessThanOrEqualTo(row.codedSyncMs());
        }
        assertThat(r.bandwidth()).hasSize(6);
        assertThat(sink.series("loss_fp32_sync")).hasSize(12);
        assertThat(r.partition().edgeCut()).isPositive();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new SylvieConfig(1, 1, "sbm", 0, "lp", 1, List.of(1), 0, false, 1, 10, 10, 5, 0, List.of(),
                128, 1).validate()).isInstanceOf(ConfigException.class).hasMessageContaining("parts");
        assertThatThrownBy(() -> new SylvieConfig(1, 1, "sbm", 4, "metis", 1, List.of(1), 0, false, 1, 10, 10, 5, 0, List.of(),
                128, 1).validate()).isInstanceOf(ConfigException.class).hasMessageContaining("partitioner");
        assertThatThrownBy(() -> new SylvieConfig(1, 1, "sbm", 4, "lp", 3, List.of(1), 0, false, 1, 10, -1, 5, 0, List.of(),
                128, 1).validate()).isInstanceOf(ConfigException.class).hasMessageContaining("messageBits");
    }

    @Test
    void metricsAreIdenticalAcrossRunsWhateverTheThreadTiming() {
        SylvieConfig c = new SylvieConfig(1, 4, "sbm", 4, "lp", 1, List.of(1, 2), 2, true, 1, 8, 10, 5, 0, List.of(),
                128, 1);
        RecordingMetricsSink a = new RecordingMetricsSink();
        RecordingMetricsSink b = new RecordingMetricsSink();
        SylvieResult ra = new SylvieExperiment().run(c, RunContext.inMemory(4).withMetrics(a));
        new SylvieExperiment().run(c, RunContext.inMemory(4).withMetrics(b));
        List<String> deterministic = a.names().stream().filter(n -> !MeasurementNames.isMeasurement(n)).toList();
        assertThat(deterministic).contains("loss_1-bit_s1", "staleness_used_1-bit_s2", "acc_fp32_sync");
        for (String name : deterministic) {
            // metrics.csv must be byte-identical for two runs: the values, not just close
            assertThat(b.series(name)).as(name).isEqualTo(a.series(name));
        }
        // the adaptor: two synchronous warm-up epochs, then the bound
        assertThat(a.series("staleness_used_1-bit_s2")).extracting(RecordingMetricsSink.Point::value)
                .containsExactly(0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0);
        // the drawing of the partition: a sample of the graph, every node in its part
        assertThat(ra.layout().nodes().length).isEqualTo(Math.min(SylvieExperiment.LAYOUT_NODES, ra.nodes()));
        for (int i = 0; i < ra.layout().nodes().length; i++) {
            assertThat(ra.layout().part()[i]).isEqualTo(ra.partition().assignment()[ra.layout().nodes()[i]]);
            assertThat(ra.layout().x()[i]).isBetween(0f, 1f);
        }
    }

    @Test
    void theGanttTimelineAddsUpToTheModelledEpochTime() {
        SylvieConfig c = new SylvieConfig(1, 2, "sbm", 4, "lp", 1, List.of(1), 0, false, 1, 3, 10, 5, 0, List.of(),
                128, 1);
        SylvieResult r = new SylvieExperiment().run(c, RunContext.inMemory(2));
        EpochStats e = r.variants().get(1).lastEpoch();
        for (boolean pipelined : new boolean[] {false, true}) {
            for (boolean fp32 : new boolean[] {false, true}) {
                List<Timeline.Bar> bars = Timeline.modelled(e, pipelined, fp32);
                // the chart draws exactly the time the model reports
                assertThat(Timeline.length(bars)).isCloseTo(e.epochMs(pipelined, fp32), within(1e-9));
                // one compute bar per worker, layer and direction
                assertThat(bars.stream().filter(b -> !b.communication())).hasSize(4 * 2 * 2);
            }
        }
        assertThat(e.epochMs(true, false)).isLessThanOrEqualTo(e.epochMs(false, false));
        // and the link model: transfers of the epoch add up to the per-receiver modelled time
        double sum = e.transfers().stream().mapToDouble(EpochStats.Transfer::modelledMs).sum();
        double perReceiver = 0;
        for (double[][] dir : e.commMs()) {
            for (double[] layer : dir) {
                for (double v : layer) {
                    perReceiver += v;
                }
            }
        }
        assertThat(sum).isCloseTo(perReceiver, within(1e-9));
    }
}
