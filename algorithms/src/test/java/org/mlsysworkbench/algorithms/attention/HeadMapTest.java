package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.ConfigException;

class HeadMapTest {

    @Test
    void llama3HeadMapAtHalfGivesThePublishedPerLayerRetrievalCounts() {
        HeadMap map = HeadMap.classify(HeadMap.llama3Gates(), 0.5, "DuoAttention gates");
        assertThat(map.layers()).isEqualTo(32);
        assertThat(map.kvHeads()).isEqualTo(8);
        // papers/lserve.md, "Shipped head maps"; FEATURES F26
        assertThat(map.retrievalPerLayer()).containsExactly(1, 1, 3, 2, 2, 4, 2, 4, 6, 4, 5, 3, 2, 6, 5, 5, 5, 6, 3, 5,
                6, 3, 3, 6, 4, 5, 3, 4, 6, 5, 8, 3);
        assertThat(map.threshold()).isEqualTo(0.9609375); // the sheet's median 0.961
    }

    @Test
    void ratioZeroKeepsEveryHeadAndBadTsvNamesTheLine() throws Exception {
        HeadMap all = HeadMap.classify(new double[][] {{0.2, 0.2}, {0.9, 0.1}}, 0.0, "t");
        assertThat(all.realisedStreamingRatio()).isEqualTo(0.0);
        HeadMap half = HeadMap.classify(new double[][] {{0.2, 0.3}, {0.9, 0.1}}, 0.5, "t");
        assertThat(half.retrievalPerLayer()).containsExactly(1, 1);
        assertThatThrownBy(() -> HeadMap.readTsv(new StringReader("0.1\t0.2\n0.3\tx\n"), "gates.tsv"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gates.tsv:2")
                .hasMessageContaining("column 2");
        assertThatThrownBy(() -> HeadMap.readTsv(new StringReader("0.1\t0.2\n0.3\n"), "gates.tsv"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected 2 KV heads");
    }
}
