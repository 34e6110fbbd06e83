package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;

/** The {@code recall} and {@code train-recall} workloads of the attention bench, end to end (small sizes). */
class RecallWorkloadTest {

    @TempDir
    Path dir;

    private static AttentionConfig with(AttentionConfig r, String workload, int sequences, int steps) {
        return new AttentionConfig(r.schemaVersion(), r.seed(), workload, r.modelPath(), r.contextTokens(),
                r.streamingRatio(), r.sinkTokens(), r.localTokens(), r.budgetTokens(), r.pageTokens(),
                r.logicalTokens(), r.reuseInterval(), r.scorer(), r.calibrationTokens(), r.traceLayer(),
                r.traceHead(), List.of(64, 256), List.of(1, 4), r.needleHeads(), r.needleHeadDim(), r.needleTrials(),
                r.needleLogit(), sequences, steps);
    }

    @Test void recallExampleParsesAndRecordsTheAccuracyAblationAndInt8Metrics() throws Exception {
        Path sample = Path.of("..", "samples", "attention", "recall.json");
        AttentionConfig parsed = Json.readConfig(sample, AttentionConfig.class).validate();
        assertThat(parsed.workload()).isEqualTo(AttentionConfig.RECALL);
        assertThat(parsed.budgetTokens() * 4).isEqualTo(parsed.contextTokens());
        RecordingMetricsSink m = new RecordingMetricsSink();
        AttentionResult r = new AttentionExperiment().run(with(parsed, AttentionConfig.RECALL, 8, 0),
                RunContext.inMemory(parsed.seed()).withMetrics(m));
        assertThat(r.recall()).isNotNull();
        assertThat(r.headMap().source()).contains("training-free stand-in for DuoAttention");
        // 8 held-out sequences: the shipped model answers all of them densely (measured 1.0 on 40 and on 100)
        assertThat(m.last("recall_dense_accuracy")).isEqualTo(1.0);
        assertThat(m.last("recall_zero_retrieval_accuracy")).isLessThanOrEqualTo(0.25);
        assertThat(m.last("int8_kv_bytes")).isLessThan(m.last("float32_kv_bytes"));
        // the budget sweep ends at the whole context: every page selected, recall exactly 1
        assertThat(r.sweep().get(1).recall()).isEqualTo(1.0);
        assertThat(r.timeline()).isNotEmpty();
    }

    @Test void trainRecallWritesALoadableCheckpointIntoTheRunFolder() throws Exception {
        AttentionConfig c = with(AttentionConfig.recall(), AttentionConfig.TRAIN_RECALL, 2, 3);
        RecordingMetricsSink m = new RecordingMetricsSink();
        RunContext ctx = new RunContext(new SplittableRandom(1), (f, msg) -> { }, CancellationToken.none(), m, null,
                dir);
        AttentionResult r = new AttentionExperiment().run(c, ctx);
        Path file = dir.resolve(AttentionExperiment.TRAINED_RECALL_FILE);
        assertThat(file).exists();
        LlamaWeights w = Llama2Checkpoint.load(file);
        assertThat(w.config().seqLen()).isEqualTo(256);
        assertThat(w.config().vocabSize()).isEqualTo(RecallTask.VOCAB);
        assertThat(Files.size(file)).isLessThan(2L << 20);
        assertThat(m.series("train_loss")).hasSize(3);
        assertThat(r.recall()).isNotNull();
    }
}
