package org.mlsysworkbench.algorithms.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A steady training loop must not grow the heap: 1,000 GCN steps on Cora with a pooled tape. */
class TrainingMemoryTest {

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void thousandStepsDoNotGrowTheHeapOrThePool() {
        CoraFixture cora = CoraFixture.load();
        SplittableRandom rnd = new SplittableRandom(5);
        Gcn gcn = new Gcn(DType.F32, rnd, CoraFixture.FEATURES, 16, CoraFixture.CLASSES);
        Adam opt = Adam.adam(gcn.params(), 0.01, 5e-4);
        BufferPool pool = new BufferPool();
        long heapAt100 = 0;
        long poolAt100 = 0;
        double lastLoss = 0;
        for (int step = 1; step <= 1000; step++) {
            opt.zeroGrad();
            try (Tape tape = Tape.record(pool)) {
                Tensor loss = Nn.crossEntropy(gcn.forward(cora.adjacency, cora.features, 0.5, rnd, true),
                        cora.labels, cora.train);
                tape.backward(loss);
                lastLoss = loss.item();
            }
            opt.step();
            if (step == 100) {
                heapAt100 = usedHeapAfterGc();
                poolAt100 = pool.allocations();
            }
        }
        long heapAt1000 = usedHeapAfterGc();
        long growth = heapAt1000 - heapAt100;
        Figures.write("training-memory.txt", String.format(java.util.Locale.ROOT,
                "1000 GCN steps: heap after GC at step 100 %.1f MB, at step 1000 %.1f MB (growth %.2f MB); "
                        + "pool arrays created %d by step 100, %d by step 1000",
                heapAt100 / 1e6, heapAt1000 / 1e6, growth / 1e6, poolAt100, pool.allocations()));
        assertThat(lastLoss).isFinite();
        // every intermediate array is recycled: the pool creates none after warm-up
        assertThat(pool.allocations()).isEqualTo(poolAt100);
        // 2 MB covers JIT/GC bookkeeping noise; one leaked step of this model holds ~1.5 MB of activations
        assertThat(growth).as("heap growth in bytes").isLessThan(2_000_000L);
    }
}
