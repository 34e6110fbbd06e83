package org.mlsysworkbench.algorithms.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForceLayoutTest {

    /** Two rings of 30 nodes joined by one edge; group = ring. */
    private static final int M = 60;
    private static final int[] A = new int[61];
    private static final int[] B = new int[61];
    private static final int[] GROUP = new int[M];

    static {
        for (int i = 0; i < 30; i++) {
            A[i] = i;
            B[i] = (i + 1) % 30;
            A[30 + i] = 30 + i;
            B[30 + i] = 30 + (i + 1) % 30;
            GROUP[30 + i] = 1;
        }
        A[60] = 0;
        B[60] = 30;
    }

    private static double dist(double[][] p, int i, int j) {
        return Math.hypot(p[0][i] - p[0][j], p[1][i] - p[1][j]);
    }

    private static double meanDistance(double[][] p, boolean sameGroup) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < M; i++) {
            for (int j = i + 1; j < M; j++) {
                if ((GROUP[i] == GROUP[j]) == sameGroup) {
                    s += dist(p, i, j);
                    n++;
                }
            }
        }
        return s / n;
    }

    @Test
    void positionsFillTheUnitSquareAndAreDeterministic() {
        double[][] p = ForceLayout.layout(M, A, B, 100, new SplittableRandom(7));
        double[][] q = ForceLayout.layout(M, A, B, 100, new SplittableRandom(7));
        assertThat(p[0]).containsExactly(q[0]);
        assertThat(p[1]).containsExactly(q[1]);
        for (double[] axis : p) {
            for (double v : axis) {
                assertThat(v).isBetween(0.0, 1.0);
            }
            assertThat(java.util.Arrays.stream(axis).min().orElseThrow()).isEqualTo(0.0);
            assertThat(java.util.Arrays.stream(axis).max().orElseThrow()).isEqualTo(1.0);
        }
    }

    @Test
    void edgesAreShorterThanTheAveragePairAndGroupsFormRegions() {
        double[][] p = ForceLayout.layout(M, A, B, GROUP, 2, 0.6, 150, new SplittableRandom(3));
        double edge = 0;
        for (int e = 0; e < A.length; e++) {
            edge += dist(p, A[e], B[e]);
        }
        edge /= A.length;
        double all = (meanDistance(p, true) + meanDistance(p, false)) / 2;
        // springs pull neighbours together: a mean edge at most half the mean pair distance
        assertThat(edge).isLessThan(0.5 * all);
        // the group pull keeps each ring in its own region: nodes of one ring closer than nodes of two
        assertThat(meanDistance(p, true)).isLessThan(0.8 * meanDistance(p, false));
    }
}
