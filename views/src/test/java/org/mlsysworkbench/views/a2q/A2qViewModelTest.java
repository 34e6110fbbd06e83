package org.mlsysworkbench.views.a2q;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.graph.quant.A2qBench;
import org.mlsysworkbench.views.core.TaskRunner;

class A2qViewModelTest {

    @TempDir
    Path runs;

    @Test
    void invalidFieldsNameTheFieldAndValidRunsFillTheResult() {
        A2qViewModel vm = new A2qViewModel(A2qBench.definition(), TaskRunner.sameThread(), Backend::cpu, runs);
        vm.uniformBitsProperty().set("2, zero");
        assertThat(vm.errorProperty().get()).contains("uniformBits").contains("zero");
        vm.uniformBitsProperty().set("0");
        assertThat(vm.errorProperty().get()).contains("uniformBits[0]").contains("at least 1 bit");
        vm.uniformBitsProperty().set("2");
        vm.epochsProperty().set("5");
        vm.seedsProperty().set("1");
        vm.degreeQuantProperty().set(false);
        vm.graphLevelProperty().set(false);
        assertThat(vm.errorProperty().get()).isEmpty();
        vm.run(MetricsSink.NONE);
        assertThat(vm.resultProperty().get()).isNotNull();
        assertThat(vm.resultProperty().get().schemes()).hasSize(3);
        assertThat(vm.runner().lastRunDirProperty().get().resolve("metrics.csv")).exists();
        assertThat(vm.inspect(3)).contains("node 3").contains("reported").contains("x_q = sign(x)");
        double nodes = A2qViewModel.bitsByDegree(vm.resultProperty().get()).stream().mapToDouble(d -> d[2]).sum();
        assertThat(nodes).isEqualTo(vm.resultProperty().get().nodes());
        assertThat(vm.summary()).containsKey("acc A2Q");
        var buckets = A2qViewModel.bitsByDegreeBucket(vm.resultProperty().get());
        assertThat(buckets.values().stream().mapToInt(java.util.List::size).sum())
                .isEqualTo(vm.resultProperty().get().nodes());
        assertThat(A2qViewModel.nnsSummary(vm.resultProperty().get())).contains("No graph-level study");
    }

    @Test
    void ginRunsWithTheGraphLevelStudyAndKeepsBothModels() {
        A2qViewModel vm = new A2qViewModel(A2qBench.definition(), TaskRunner.sameThread(), Backend::cpu, runs);
        vm.epochsProperty().set("4");
        vm.seedsProperty().set("1");
        vm.uniformBitsProperty().set("4");
        vm.degreeQuantProperty().set(false);
        vm.graphLevelProperty().set(false);
        vm.run(MetricsSink.NONE);
        vm.modelProperty().set("gin");
        vm.graphLevelProperty().set(true);
        assertThat(vm.config()).isPresent();
        vm.run(MetricsSink.NONE);
        assertThat(vm.resultProperty().get().model()).isEqualTo("gin");
        assertThat(vm.resultsByModel()).containsOnlyKeys("gcn", "gin");
        assertThat(A2qViewModel.nnsSummary(vm.resultProperty().get())).contains("unseen").contains("average bits");
        assertThat(vm.summary()).containsKeys("NNS acc (unseen graphs)", "model");
        vm.modelProperty().set("gat");
        assertThat(vm.errorProperty().get()).contains("model");
    }
}
