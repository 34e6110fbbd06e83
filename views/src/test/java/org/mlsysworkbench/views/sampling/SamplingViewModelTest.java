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
        SamplingViewModel.PhaseRow row = vm.phaseRows().get(0);
        assertThat(row.label()).isEqualTo(vm.runLabelProperty().get()).startsWith("#1 no training, fused");
        assertThat(row.sampledEdgesPerS()).hasSize(1);
        assertThat(row.sampledEdgesPerS()[0]).isPositive();
        assertThat(row.trainSeedsPerS()[0]).isPositive();
    }

    @Test
    void theModelChoiceTrainsGcnAndNamesTheRun(@TempDir Path dir) {
        SamplingViewModel vm = new SamplingViewModel(SamplingBench.definition(), TaskRunner.sameThread(),
                Backend::cpu, dir);
        vm.load(smallClustered());
        vm.trainProperty().set(true);
        vm.modelProperty().set("gcn");
        vm.gcnNormProperty().set("right");
        vm.epochsProperty().set("2");
        assertThat(vm.configJson()).contains("\"model\" : \"gcn\"").contains("\"gcnNorm\" : \"right\"");
        java.util.List<SamplingViewModel.LivePoint> live = new java.util.ArrayList<>();
        vm.run();
        vm.drainLive(live::add);
        assertThat(vm.statusProperty().get()).doesNotStartWith("Failed");
        assertThat(vm.resultProperty().get().testAccuracy()).hasSize(2);
        assertThat(vm.phaseRows().get(0).label()).startsWith("#1 GCN-right, fused, memory-aware");
        // live points carry the run's label: the throughput charts draw one line per run while it runs
        assertThat(live).filteredOn(p -> p.series().equals("train_seeds_per_s")).hasSize(2)
                .allMatch(p -> p.run().equals(vm.runLabelProperty().get()));
        assertThat(live).anyMatch(p -> p.series().equals("val_acc"));
        vm.modelProperty().set("mlp");
        assertThat(vm.errorProperty().get()).contains("model");
    }
}
