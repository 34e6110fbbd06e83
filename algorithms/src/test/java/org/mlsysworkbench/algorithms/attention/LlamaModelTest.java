package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.testing.TestData;

class LlamaModelTest {

    /** The README's greedy ids of run.c -t 0 from BOS. */
    static final int[] GREEDY_64 = {461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435, 299, 362, 409, 283, 264,
        283, 452, 288, 13, 431, 431, 431, 431, 431, 431, 431, 431, 431, 431, 431, 431, 431, 293, 430, 417, 363, 416,
        315, 342, 418, 424, 400, 442, 402, 303, 266, 299, 374, 466, 396, 303, 271, 362, 390, 469, 306, 469, 423, 314,
        347, 305, 356, 333};

    static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        Path file = TestData.path("models/stories260K/stories260K.bin");
        model = new LlamaModel(Llama2Checkpoint.load(file));
    }

    @Test
    void headerMatchesTheReadme() {
        assertThat(model.config()).isEqualTo(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, true));
    }

    @Test
    void bosLogitsMatchTheReadmeTop5() {
        float[] logits = model.newDenseSession().step(1);
        int[] ids = {461, 306, 295, 341, 453};
        double[] expected = {9.4893, 9.3812, 8.5742, 8.3084, 7.6210};
        for (int i = 0; i < ids.length; i++) {
            assertThat((double) logits[ids[i]]).isCloseTo(expected[i], within(1e-3)); // README tolerance
        }
        assertThat(LlamaModel.argmax(logits)).isEqualTo(461);
    }

    @Test
    void greedyDecodingReproducesRunC() {
        assertThat(model.greedy(64)).containsExactly(GREEDY_64);
    }
}
