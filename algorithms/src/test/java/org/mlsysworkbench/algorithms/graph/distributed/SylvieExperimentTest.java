package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.ConfigException;
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
}
