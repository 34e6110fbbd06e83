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
}
