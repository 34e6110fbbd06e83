package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;

class NeedleTrialsTest {

    @Test
    void needlesAt64kWithBudget4096AreFoundInAtLeast95PercentOfTrials() {
        // 64K context, pages 64/16, budget 4096, 100 seeded trials at depths 0..100 %; one head of dim 16 keeps
        // the test short (the bench runs the same trials at head dim 64)
        NeedleTrials.Setup setup = new NeedleTrials.Setup(65536, 1, 16, 64, 16, 4096, 12.0, 100);
        try (CpuAttentionKernels k = new CpuAttentionKernels(2)) {
            NeedleTrials.Summary s = NeedleTrials.run(k, setup, new SplittableRandom(2026), CancellationToken.none(),
                    i -> { });
            assertThat(s.hitRate()).isGreaterThanOrEqualTo(0.95); // acceptance: >= 95 %
            assertThat(s.trials()[0].depth()).isEqualTo(0.0);
            assertThat(s.trials()[99].depth()).isEqualTo(1.0);
            // the needle alone carries about 60 % of the dense mass (logit ln(64K) + 1); selection keeps it
            assertThat(s.meanRecall()).isGreaterThan(0.55);
        }
    }
}
