package org.mlsysworkbench.views.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingBench;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingConfig;
import org.mlsysworkbench.views.core.TaskRunner;

/** The ViewModel without a toolkit: validation, a run, and the toggles' effect on heat map and bytes. */
class SamplingViewModelTest {

    static SamplingConfig smallClustered() {
        SamplingConfig c = SamplingConfig.clusteredIo();
        return new SamplingConfig(c.schemaVersion(), 3, "sbm", "", "", 3000, 6, 5, 0.85, 16, 2.0, "products", 14,
                100, java.util.List.of(4, 8), false, 100, "clustered", "fused", 0.1, true, false, "memory-aware",
                false, 16, 1, 0.01, 5e-4, 0.5, false, "sage", "both");
    }

    @Test
    void badFieldsNameTheFieldAndBlockTheRun(@TempDir Path dir) {
        SamplingViewModel vm = new SamplingViewModel(SamplingBench.definition(), TaskRunner.sameThread(),
                Backend::cpu, dir);
        assertThat(vm.errorProperty().get()).isEmpty();
        vm.fanoutsProperty().set("10, 0");
        assertThat(vm.errorProperty().get()).contains("fanouts[1]");
        vm.fanoutsProperty().set("10, x");
        assertThat(vm.errorProperty().get()).contains("fanouts").contains("'x'");
        vm.run();
        assertThat(vm.statusProperty().get()).startsWith("Cannot run");
        vm.fanoutsProperty().set("10, 25");
        assertThat(vm.errorProperty().get()).isEmpty();
    }

    @Test
    void togglingReorderSwapsTheHeatmapAndTheBytes(@TempDir Path dir) {
        SamplingViewModel vm = new SamplingViewModel(SamplingBench.definition(), TaskRunner.sameThread(),
                Backend::cpu, dir);
        vm.load(smallClustered());
        vm.run();
        assertThat(vm.statusProperty().get()).doesNotStartWith("Failed");
        assertThat(vm.resultProperty().get()).isNotNull();
        assertThat(vm.phaseRows()).hasSize(1);
        double[][] before = vm.heatmapProperty().get();
        long bytesBefore = vm.bytesMovedProperty().get();
        vm.reorderProperty().set(true);
        double[][] after = vm.heatmapProperty().get();
        assertThat(after).isNotEqualTo(before);
        assertThat(vm.bytesMovedProperty().get()).isNotEqualTo(bytesBefore);
        assertThat(vm.bytesMovedProperty().get()).isEqualTo(vm.resultProperty().get().bytesMatchReorder());
        vm.matchProperty().set(false);
        assertThat(vm.bytesMovedProperty().get()).isEqualTo(vm.resultProperty().get().bytesPlain());
        assertThat(dir.resolve("sampling")).isDirectory();
    }
}
