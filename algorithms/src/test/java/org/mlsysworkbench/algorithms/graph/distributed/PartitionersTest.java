package org.mlsysworkbench.algorithms.graph.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;
import org.mlsysworkbench.algorithms.graph.partition.Partition;
import org.mlsysworkbench.algorithms.graph.partition.Partitioners;
import org.mlsysworkbench.algorithms.testing.TestData;

class PartitionersTest {

    @Test
    void labelPropagationCutsFarFewerEdgesThanRandomWithinTheBalanceCap() throws Exception {
        LabelledGraph cora = TsvDatasetLoader.load(TestData.path("graph/cora/derived"), "cora");
        Partition random = Partitioners.random(cora.numNodes(), 4, 1);
        Partition lp = Partitioners.labelPropagation(cora.graph(), 4, 1, 10, 0.1);
        long cutRandom = random.edgeCut(cora.graph());
        long cutLp = lp.edgeCut(cora.graph());
        // random 4-way: about 3/4 of the 5,278 edges are cut
        assertThat(cutRandom).isBetween(3700L, 4200L);
        assertThat(cutLp).isLessThan(cutRandom / 3);
        // the cap is ceil(1.1 * n / P) nodes per part
        assertThat(java.util.Arrays.stream(lp.sizes()).max().orElse(0)).isLessThanOrEqualTo(
                (int) Math.ceil(1.1 * 2708 / 4));
        assertThat(java.util.Arrays.stream(lp.sizes()).sum()).isEqualTo(2708);
        int[] boundary = lp.boundarySizes(cora.graph());
        assertThat(boundary).hasSize(4);
        assertThat(java.util.Arrays.stream(boundary).min().orElse(0)).isPositive();
        assertThat(Partitioners.random(cora.numNodes(), 1, 1).edgeCut(cora.graph())).isZero();
    }
}
