package org.mlsysworkbench.views.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.attention.AttentionConfig;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.views.core.TaskRunner;

class AttentionViewModelTest {

    /** The smoke example: 96 tokens of stories260K, budget 48. */
    static AttentionConfig smoke() {
        AttentionConfig d = AttentionConfig.defaults();
        return new AttentionConfig(1, 1, "model", d.modelPath(), 96, 0.5, 4, 32, 48, 16, 4, 4, "min-max", 48, 4, 0,
                List.of(32, 64, 96), List.of(2, 8), 1, 64, 4, 12.0, 48, 0);
    }

    private static AttentionViewModel vm() {
        AttentionViewModel vm = new AttentionViewModel(TaskRunner.sameThread(), Backend::cpu, null, Runnable::run);
        vm.load(smoke());
        return vm;
    }

    @Test
    void runPublishesTheResultAndBudgetChangesRerunWithADifferentTimeline() {
        AttentionViewModel vm = vm();
        assertThat(vm.timelineSummary()).contains("not run");
        vm.run();
        assertThat(vm.resultProperty().get()).isNotNull();
        assertThat(vm.statusProperty().get()).contains("next-token agreement");
        assertThat(vm.liveRecall()).hasSize(96);
        String before = vm.timelineSummary();
        assertThat(before).contains("96 steps");
        int gen = vm.generationProperty().get();
        vm.requestBudget(80);
        assertThat(vm.generationProperty().get()).isEqualTo(gen + 1);
        assertThat(vm.resultProperty().get().timeline().get(95).pages()).hasSize(5); // min(max(3, 80/16), 6)
        assertThat(vm.timelineSummary()).isNotEqualTo(before);
        assertThat(vm.prefillSummary()).contains("ideal speedup");
    }

    @Test
    void budgetIsClampedAndBadValuesNameTheFieldAndKeepTheResult() {
        AttentionViewModel vm = vm();
        vm.setAutoRun(false);
        vm.requestBudget(1);
        assertThat(vm.budgetTokensProperty().get()).isEqualTo(AttentionViewModel.MIN_BUDGET);
        vm.run();
        var result = vm.resultProperty().get();
        vm.logicalTokensProperty().set(5);
        vm.run();
        assertThat(vm.errorProperty().get()).contains("logicalTokens");
        assertThat(vm.resultProperty().get()).isSameAs(result);
        vm.logicalTokensProperty().set(4);
        assertThatThrownBy(() -> vm.loadJson("{\"schemaVersion\": 1, \"seed\": 1, \"workload\": \"model\"}"))
                .isInstanceOf(ConfigException.class);
        assertThat(vm.config().contextTokens()).isEqualTo(96);
    }

    @Test
    void aBrokenCheckpointNamesTheFileAndKeepsThePreviousResult(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        AttentionViewModel vm = vm();
        vm.run();
        var result = vm.resultProperty().get();
        java.nio.file.Path bad = dir.resolve("truncated.bin");
        java.nio.file.Files.write(bad, new byte[40]);
        vm.modelPathProperty().set(bad.toString());
        vm.run();
        assertThat(vm.errorProperty().get()).contains("truncated.bin").contains("modelPath");
        assertThat(vm.resultProperty().get()).isSameAs(result);
        vm.selectWorkload("needle");
        assertThat(vm.config().contextTokens()).isEqualTo(65536);
        assertThat(vm.budgetTokensProperty().get()).isEqualTo(4096);
        assertThat(vm.workloadProperty().get()).isEqualTo("needle");
    }

    @Test
    void choosingTheRecallModelShowsItsHeadMapAndAblation() {
        AttentionViewModel vm = vm();
        assertThat(vm.recallRows()).isEmpty();
        vm.selectModel(AttentionViewModel.RECALL_MODEL, null);
        assertThat(vm.workloadProperty().get()).isEqualTo("recall");
        assertThat(vm.modelPathProperty().get()).isEqualTo(AttentionConfig.RECALL_MODEL);
        assertThat(vm.budgetTokensProperty().get() * 4).isEqualTo(vm.contextTokensProperty().get());
        // a short evaluation: 6 held-out sequences
        AttentionConfig r = vm.config();
        vm.load(new AttentionConfig(r.schemaVersion(), r.seed(), r.workload(), r.modelPath(), r.contextTokens(),
                r.streamingRatio(), r.sinkTokens(), r.localTokens(), r.budgetTokens(), r.pageTokens(),
                r.logicalTokens(), r.reuseInterval(), r.scorer(), r.calibrationTokens(), r.traceLayer(), r.traceHead(),
                List.of(64), List.of(1), r.needleHeads(), r.needleHeadDim(), r.needleTrials(), r.needleLogit(), 6, 0));
        vm.run();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.statusProperty().get()).contains("recall accuracy dense 1.000");
        List<Object[]> rows = vm.recallRows();
        assertThat(rows).extracting(x -> x[0]).contains("dense", "LServe", "zero retrieval", "zero streaming",
                "int8 KV");
        assertThat((Double) rows.get(2)[1]).isLessThan((Double) rows.get(0)[1]);
        assertThat(vm.recallSummary()).contains("Budget B = 64 of 256 tokens");
        assertThat(vm.resultProperty().get().headMap().source()).contains("DuoAttention");
        vm.selectModel(AttentionViewModel.STORIES, null);
        assertThat(vm.workloadProperty().get()).isEqualTo("model");
        assertThat(vm.modelPathProperty().get()).isEqualTo(AttentionConfig.STORIES_260K);
    }
}
