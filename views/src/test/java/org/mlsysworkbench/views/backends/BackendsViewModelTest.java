package org.mlsysworkbench.views.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.backends.BackendsBench;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsResult;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.views.core.TaskRunner;

/** The Backends page state without a toolkit: validation, a real run into a run folder, round trips. */
class BackendsViewModelTest {

    private static final BenchDefinition<BackendsConfig, BackendsResult> BENCH = BackendsBench.definition(List::of);

    @TempDir
    Path runs;

    private BackendsViewModel vm() {
        return new BackendsViewModel(BENCH, TaskRunner.sameThread(), Backend::cpu, runs);
    }

    @Test
    void startsWithTheBenchDefaultsAndNamesTheBadField() {
        BackendsViewModel vm = vm();
        assertThat(vm.config()).contains(BackendsConfig.defaults());
        vm.gemmSizesProperty().set("128, abc");
        assertThat(vm.errorProperty().get()).contains("gemmSizes").contains("abc");
        vm.gemmSizesProperty().set("128, 99999");
        assertThat(vm.errorProperty().get()).contains("gemmSizes[1]");
        vm.run();
        assertThat(vm.statusProperty().get()).startsWith("Cannot run");
        assertThat(vm.rows()).isEmpty();
    }

    @Test
    void aRunMeasuresEveryKernelAndSizeAndWritesTheRunFolder() throws Exception {
        BackendsViewModel vm = vm();
        vm.saxpySizesProperty().set("1024, 4096");
        vm.gemmSizesProperty().set("16, 32");
        vm.sumSizesProperty().set("1024");
        vm.repetitionsProperty().set(2);
        vm.run();
        assertThat(vm.rows()).hasSize(5);
        assertThat(vm.kernels()).containsExactly("saxpy", "gemm", "sum");
        for (BackendsResult.Row r : vm.rows()) {
            assertThat(r.backend()).isEqualTo("cpu");
            assertThat(r.throughput()).isPositive();
            assertThat(r.maxError()).isLessThanOrEqualTo(1e-6);   // CPU against itself: exact or last-bit
        }
        Path dir = vm.lastRunDirProperty().get();
        assertThat(dir.getParent()).isEqualTo(runs.resolve("backends"));
        assertThat(dir.resolve(RunFolder.CONFIG)).exists();
        assertThat(dir.resolve(RunFolder.METRICS)).exists();
        assertThat(dir.resolve(RunFolder.ENV)).exists();
        assertThat(BENCH.parseConfig(Files.readString(dir.resolve(RunFolder.CONFIG)), "config.json"))
                .isEqualTo(vm.config().orElseThrow());
        assertThat(vm.summary()).containsEntry("rows", "5").containsKey("best_gemm_cpu_gflops");
    }

    @Test
    void configAndRowsSurviveAJsonRoundTrip() {
        BackendsViewModel vm = vm();
        vm.saxpySizesProperty().set("2048");
        vm.gemmSizesProperty().set("8");
        vm.sumSizesProperty().set("2048");
        vm.seedProperty().set("99");
        vm.run();
        String config = vm.configJson();
        String rows = vm.rowsJson();

        BackendsViewModel other = vm();
        other.loadJson(config);
        other.loadRowsJson(rows);
        assertThat(other.config()).isEqualTo(vm.config());
        assertThat(other.rows()).containsExactlyElementsOf(vm.rows());
        assertThatThrownBy(() -> other.loadJson("{\"schemaVersion\": 1}")).isInstanceOf(ConfigException.class);
        assertThat(other.config()).isEqualTo(vm.config());   // a bad document changes nothing
    }

    @Test
    void sizeLabelsAreShortAndExact() {
        assertThat(BackendsPage.sizeLabel("saxpy", 65536)).isEqualTo("64Ki");
        assertThat(BackendsPage.sizeLabel("sum", 8 << 20)).isEqualTo("8Mi");
        assertThat(BackendsPage.sizeLabel("sum", 1000)).isEqualTo("1000");
        assertThat(BackendsPage.sizeLabel("gemm", 512)).isEqualTo("512");
    }
}
