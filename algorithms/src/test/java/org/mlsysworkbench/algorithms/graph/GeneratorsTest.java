package org.mlsysworkbench.algorithms.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeneratorsTest {

    @Test
    void rmatIsDeterministicSymmetricAndSkewed() {
        RmatGenerator.Params p = RmatGenerator.Params.graph500(12, 16);
        CsrGraph a = RmatGenerator.generate(p, 7);
        CsrGraph b = RmatGenerator.generate(p, 7);
        CsrGraph c = RmatGenerator.generate(p, 8);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a.numNodes()).isEqualTo(4096);
        assertThat(a.isSymmetric()).isTrue();
        // symmetrised 65,536 drawn edges, minus self-loops and the many duplicates of the dense corner
        assertThat(a.numEdges()).isBetween(80_000L, 131_072L);
        // power law: the hub is far above the median
        assertThat(a.maxDegree()).isGreaterThan(20 * Math.max(1, a.degreeQuantile(0.5)));
    }

    @Test
    void productsInitiatorLeavesFewerIsolatedNodesThanGraph500() {
        // spec sheet (scale 16, ef 26): Graph500 initiator 22.7% isolated, (0.45, 0.22, 0.22, 0.11) 2.3%
        CsrGraph g500 = RmatGenerator.generate(RmatGenerator.Params.graph500(14, 26), 1);
        CsrGraph products = RmatGenerator.generate(RmatGenerator.Params.productsLike(14), 1);
        double iso500 = (double) g500.isolatedNodes() / g500.numNodes();
        double isoProducts = (double) products.isolatedNodes() / products.numNodes();
        assertThat(iso500).isBetween(0.10, 0.35);
        assertThat(isoProducts).isLessThan(0.06);
        assertThat(products.meanDegree()).isGreaterThan(g500.meanDegree());
    }

    @Test
    void rmatRejectsBadInitiators() {
        assertThatThrownBy(() -> new RmatGenerator.Params(10, 16, 0.5, 0.5, 0.5, 0, true))
                .hasMessageContaining("summing to 1");
        assertThatThrownBy(() -> new RmatGenerator.Params(0, 16, 0.57, 0.19, 0.19, 0.05, true))
                .hasMessageContaining("scale");
    }

    @Test
    void sbmHitsTargetHomophilyDegreeAndFeatureSignal() {
        LabelledGraph g = SbmGenerator.generate(SbmGenerator.Params.coraLike(), 11);
        assertThat(g.numNodes()).isEqualTo(2708);
        assertThat(g.graph().isSymmetric()).isTrue();
        // target h = 0.81; 5,281 edges give a binomial sd of about 0.006, so 0.03 is five sd
        assertThat(g.edgeHomophily()).isCloseTo(0.81, within(0.03));
        // 3.9 drawn, a few duplicates removed
        assertThat(g.graph().meanDegree()).isBetween(3.5, 3.9);
        assertThat(g.graph().maxDegree()).isGreaterThan(8 * g.graph().degreeQuantile(0.5));
        assertThat(g.train()).hasSize(140);
        assertThat(g.val()).hasSize(500);
        assertThat(g.test()).hasSize(1000);
        // features: the nearest class mean (estimated on the training nodes) beats chance (1/7) by far
        int d = g.featureDim();
        double[][] mean = new double[7][d];
        int[] cnt = new int[7];
        for (int v : g.train()) {
            cnt[g.labels()[v]]++;
            for (int j = 0; j < d; j++) {
                mean[g.labels()[v]][j] += g.features()[v * d + j];
            }
        }
        int correct = 0;
        for (int v : g.test()) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 7; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = g.features()[v * d + j] - mean[c][j] / cnt[c];
                    dist += diff * diff;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            correct += best == g.labels()[v] ? 1 : 0;
        }
        assertThat(correct / 1000.0).isGreaterThan(0.5);
    }

    @Test
    void sbmIsDeterministic() {
        SbmGenerator.Params p = new SbmGenerator.Params(500, 3, 5, 0.7, 2.2, 8, 1.0, 10, 50, 100);
        LabelledGraph a = SbmGenerator.generate(p, 5);
        LabelledGraph b = SbmGenerator.generate(p, 5);
        assertThat(a.graph()).isEqualTo(b.graph());
        assertThat(java.util.Arrays.equals(a.features(), b.features())).isTrue();
        assertThat(a.train()).containsExactly(b.train());
    }
}
