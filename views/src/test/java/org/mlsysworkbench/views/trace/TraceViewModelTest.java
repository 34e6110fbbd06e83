package org.mlsysworkbench.views.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.trace.Agreement;
import org.mlsysworkbench.algorithms.trace.Cdf;
import org.mlsysworkbench.algorithms.trace.CheckpointSimulator;
import org.mlsysworkbench.algorithms.trace.TraceBench;
import org.mlsysworkbench.views.core.TaskRunner;

/** The trace page's ViewModel without a toolkit: same-thread tasks, properties only. */
class TraceViewModelTest {

    @TempDir
    Path runs;

    private TraceViewModel vm;

    private TraceViewModel viewModel() {
        vm = new TraceViewModel(TraceBench.definition(), TaskRunner.sameThread(), Backend::cpu, runs);
        return vm;
    }

    @AfterEach
    void close() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void fieldsValidateAndNameTheField() {
        TraceViewModel m = viewModel();
        assertThat(m.errorProperty().get()).isEmpty();
        assertThat(m.config()).contains(TraceBench.definition().defaults());
        m.jobsProperty().set("many");
        assertThat(m.errorProperty().get()).startsWith("jobs: expected a whole number");
        m.jobsProperty().set("3000");
        m.clusterProperty().set("Venus");
        assertThat(m.errorProperty().get()).startsWith("cluster:");
        m.clusterProperty().set("Seren");
        m.generatedProperty().set(false);
        assertThat(m.errorProperty().get()).startsWith("traceFile:");
        m.traceFileProperty().set("bundled:trace_seren_head3.csv");
        assertThat(m.errorProperty().get()).isEmpty();
    }

    @Test
    void runShowsStatisticsReproductionAndAnswersSql() {
        TraceViewModel m = viewModel();
        m.jobsProperty().set("4000");
        m.run();
        assertThat(m.runningProperty().get()).isFalse();
        assertThat(m.statusProperty().get()).startsWith("4,000 jobs loaded");
        assertThat(m.resultProperty().get()).isNotNull();
        assertThat(m.reproduction()).extracting(r -> r.quantity()).contains("avg_gpu_num", "fail_rate_gpu");
        assertThat(m.reproduction()).filteredOn(r -> r.quantity().equals("fail_rate_gpu"))
                .singleElement().satisfies(r -> assertThat(r.agreement()).isEqualTo(Agreement.AGREE));
        assertThat(m.durationCurves()).extracting(Cdf::name).containsExactly("GPU", "CPU");
        m.groupingProperty().set(TraceViewModel.Grouping.JOB_TYPES);
        assertThat(m.durationCurves()).extracting(Cdf::name).contains("Eval", "Pretrain").doesNotContain("GPU");
        assertThat(m.queueCurves()).extracting(Cdf::name).contains("Eval");

        m.runSql();
        assertThat(m.sqlResultProperty().get().columns()).containsExactly("type", "jobs", "gpu_hours");
        assertThat(m.sqlResultProperty().get().rows()).isNotEmpty();
        m.sqlProperty().set("SELECT count(*) FROM jobs");
        m.runSql();
        assertThat(m.sqlResultProperty().get().rows()).isEqualTo(List.of(List.of(4000L)));
        m.sqlProperty().set("SELECT nope FROM jobs");
        m.runSql();
        assertThat(m.sqlStatusProperty().get()).startsWith("SQL error");
    }

    @Test
    void simulatorControlsResimulateWithoutReloading() {
        TraceViewModel m = viewModel();
        m.jobsProperty().set("2000");
        m.run();
        var first = m.resultProperty().get();
        CheckpointSimulator.Sweep before = m.sweepProperty().get();
        assertThat(before).isNotNull();
        m.asyncCheckpointsProperty().set(true);
        CheckpointSimulator.Sweep after = m.sweepProperty().get();
        assertThat(after).isNotSameAs(before);
        // asynchronous checkpoints block for a tenth of the time: Young/Daly's interval shrinks by √10
        assertThat(after.youngDalyMin()).isLessThan(before.youngDalyMin() / 3);
        m.checkpointIntervalMinProperty().set(30);
        assertThat(m.checkpointRunProperty().get().goodput()).isGreaterThan(0);
        assertThat(m.resultProperty().get()).isSameAs(first);
    }
}
