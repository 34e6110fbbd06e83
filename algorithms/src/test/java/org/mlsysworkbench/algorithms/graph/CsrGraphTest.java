package org.mlsysworkbench.algorithms.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsrGraphTest {

    private static EdgeList edges(int[][] pairs) {
        EdgeList e = new EdgeList();
        for (int[] p : pairs) {
            e.add(p[0], p[1]);
        }
        return e;
    }

    @Test
    void rowsHoldSortedInNeighbours() {
        CsrGraph g = new GraphBuilder().build(edges(new int[][] {{2, 0}, {1, 0}, {0, 1}, {2, 1}, {2, 1}}), 3);
        assertThat(g.numNodes()).isEqualTo(3);
        assertThat(g.numEdges()).isEqualTo(4); // the duplicate 2 -> 1 is dropped
        assertThat(g.neighbours(0)).containsExactly(1, 2);
        assertThat(g.neighbours(1)).containsExactly(0, 2);
        assertThat(g.neighbours(2)).isEmpty();
        assertThat(g.hasEdge(2, 0)).isTrue();
        assertThat(g.hasEdge(0, 2)).isFalse();
        assertThat(g.isSymmetric()).isFalse();
    }

    @Test
    void symmetriseAddsReversesAndDropsSelfLoops() {
        CsrGraph g = new GraphBuilder().symmetrise(true).dropSelfLoops(true)
                .build(edges(new int[][] {{0, 1}, {1, 0}, {1, 1}, {1, 2}, {3, 3}}), 4);
        assertThat(g.numEdges()).isEqualTo(4);
        assertThat(g.isSymmetric()).isTrue();
        assertThat(g.neighbours(1)).containsExactly(0, 2);
        assertThat(g.degree(3)).isZero();
        assertThat(g.isolatedNodes()).isEqualTo(1);
        assertThat(g.maxDegree()).isEqualTo(2);
    }

    @Test
    void edgesOutsideTheNodeRangeAreRejected() {
        assertThatThrownBy(() -> new GraphBuilder().build(edges(new int[][] {{0, 5}}), 3))
                .hasMessageContaining("edge 0 (0 -> 5)").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> CsrGraph.of(new int[] {0, 1}, new int[] {7}))
                .hasMessageContaining("neighbour id 7");
    }

    @Test
    void chunkedLargeFormEqualsCompactForm() {
        SplittableRandom r = new SplittableRandom(3);
        EdgeList e = new EdgeList();
        for (int i = 0; i < 5000; i++) {
            e.add(r.nextInt(300), r.nextInt(300));
        }
        CsrGraph compact = new GraphBuilder().symmetrise(true).build(e, 300);
        // 16-id chunks force long offsets and rows that straddle chunk boundaries
        CsrGraph chunked = new GraphBuilder().symmetrise(true).chunkBits(4).build(e, 300);
        assertThat(compact.isCompact()).isTrue();
        assertThat(chunked.isCompact()).isFalse();
        assertThat(chunked).isEqualTo(compact);
        for (int v = 0; v < 300; v++) {
            assertThat(chunked.neighbours(v)).containsExactly(compact.neighbours(v));
        }
        assertThatThrownBy(chunked::indices).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void degreeStatistics() {
        // star: centre 0 with 4 leaves
        CsrGraph g = new GraphBuilder().symmetrise(true).build(edges(new int[][] {{0, 1}, {0, 2}, {0, 3}, {0, 4}}), 5);
        assertThat(g.degreeHistogram()).containsExactly(0, 4, 0, 0, 1);
        assertThat(g.degreeQuantile(0.5)).isEqualTo(1);
        assertThat(g.degreeQuantile(1.0)).isEqualTo(4);
        assertThat(g.meanDegree()).isEqualTo(8.0 / 5);
    }
}
