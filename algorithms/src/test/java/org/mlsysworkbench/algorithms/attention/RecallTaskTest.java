package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The associative-recall generator: structure, determinism, and the train / held-out split. */
class RecallTaskTest {

    private final RecallTask task = new RecallTask(256, 8);

    @Test void everySequenceStoresDistinctKeysOnceAndAsksOneOfThemAtTheEnd() {
        SplittableRandom r = RecallTask.heldOutStream(3);
        for (int n = 0; n < 50; n++) {
            RecallTask.Sample s = task.sample(r, 1);
            int[] t = s.tokens();
            assertThat(t).hasSize(256);
            assertThat(t[0]).isEqualTo(RecallTask.BOS);
            assertThat(t[254]).isEqualTo(RecallTask.QUERY);
            assertThat(s.askAt()).containsExactly(255);
            int key = t[255] - RecallTask.KEY0;
            assertThat(key).isBetween(0, RecallTask.KEYS - 1);
            Set<Integer> keys = new HashSet<>();
            int stored = -1;
            for (int i = 1; i < 254; i++) {
                if (t[i] >= RecallTask.PAIR0 && t[i] < RecallTask.FILLER0) {
                    int k = (t[i] - RecallTask.PAIR0) / RecallTask.VALUES;
                    assertThat(keys.add(k)).as("key %d stored twice", k).isTrue();
                    if (k == key) {
                        stored = i;
                        assertThat(RecallTask.VALUE0 + (t[i] - RecallTask.PAIR0) % RecallTask.VALUES)
                                .isEqualTo(s.answers()[0]);
                    }
                } else {
                    assertThat(t[i]).isBetween(RecallTask.FILLER0, RecallTask.VOCAB - 1);
                }
            }
            assertThat(keys).hasSize(8);
            assertThat(s.pairAt()[0]).isEqualTo(stored);
        }
    }

    @Test void trainingQueriesRepeatTheStoredValues() {
        RecallTask.Sample s = task.sample(RecallTask.trainStream(1), 4);
        assertThat(s.askAt()).containsExactly(246, 249, 252, 255);
        for (int q = 0; q < 3; q++) {
            assertThat(s.tokens()[s.askAt()[q] + 1]).isEqualTo(s.answers()[q]);
        }
    }

    @Test void streamsAreDeterministicAndHeldOutSequencesNeverAppearInTraining() {
        assertThat(task.sample(RecallTask.heldOutStream(5), 1).tokens())
                .isEqualTo(task.sample(RecallTask.heldOutStream(5), 1).tokens());
        Set<String> train = new HashSet<>();
        SplittableRandom tr = RecallTask.trainStream(5);
        for (int i = 0; i < 2000; i++) {
            train.add(Arrays.toString(task.sample(tr, 1).tokens()));
        }
        SplittableRandom held = RecallTask.heldOutStream(5);
        for (int i = 0; i < 200; i++) {
            assertThat(train).doesNotContain(Arrays.toString(task.sample(held, 1).tokens()));
        }
    }
}
