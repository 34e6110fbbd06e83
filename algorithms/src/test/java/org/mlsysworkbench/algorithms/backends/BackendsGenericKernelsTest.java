package org.mlsysworkbench.algorithms.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.RunContext;

/** The bench suite's variant of the experiment also times the generic kernels; the CPU agrees with itself. */
class BackendsGenericKernelsTest {

    @Test
    void genericKernelsAddOneRowPerKernelAndSizeWithNoMismatch() {
        BackendsConfig c = new BackendsConfig(1, 3, List.of(100), List.of(8), List.of(999, 5000), 1);
        BackendsResult r = new BackendsExperiment(List::of, true).run(c, RunContext.inMemory(3));
        assertThat(r.rows()).hasSize(4 + 2 * BackendsExperiment.GENERIC.size());
        assertThat(r.rows()).extracting(BackendsResult.Row::kernel).contains("scan", "compact", "gather", "scatter",
                "topk", "histogram");
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.maxError()).isZero());
        assertThat(new BackendsExperiment().run(c, RunContext.inMemory(3)).rows()).hasSize(4);
    }
}
