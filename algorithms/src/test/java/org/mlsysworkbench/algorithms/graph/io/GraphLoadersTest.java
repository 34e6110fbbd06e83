package org.mlsysworkbench.algorithms.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.testing.TestData;

/** The four shipped forms of Cora (and PubMed's TSV) against the README's verified properties. */
class GraphLoadersTest {

    private static LabelledGraph coraTsv;

    @BeforeAll
    static void load() throws Exception {
        coraTsv = TsvDatasetLoader.load(TestData.path("graph/cora/derived"), "cora");
    }

    @Test
    void coraTsvMatchesTheReadme() {
        CsrGraph g = coraTsv.graph();
        assertThat(g.numNodes()).isEqualTo(2708);
        assertThat(g.numEdges()).isEqualTo(10_556);
        assertThat(g.isSymmetric()).isTrue();
        assertThat(g.isolatedNodes()).isZero();
        assertThat(g.degreeQuantile(0.5)).isEqualTo(3);
        assertThat(g.degreeQuantile(0.9)).isEqualTo(7);
        assertThat(g.maxDegree()).isEqualTo(168);
        assertThat(coraTsv.featureDim()).isEqualTo(1433);
        assertThat(coraTsv.numClasses()).isEqualTo(7);
        assertThat(coraTsv.classCounts()).containsExactly(351, 217, 418, 818, 426, 298, 180);
        assertThat(coraTsv.edgeHomophily()).isCloseTo(0.80997, within(1e-5));
        assertThat(coraTsv.train()).hasSize(140).startsWith(0).endsWith(139);
        assertThat(coraTsv.val()).hasSize(500).startsWith(140).endsWith(639);
        assertThat(coraTsv.test()).hasSize(1000).startsWith(1708).endsWith(2707);
        double nnz = 0;
        for (float x : coraTsv.features()) {
            nnz += x;
        }
        assertThat(nnz).isEqualTo(49_216);
    }

    @Test
    void pubmedTsvHasFeaturesForTrainAndTestOnly() throws Exception {
        LabelledGraph p = TsvDatasetLoader.load(TestData.path("graph/pubmed/derived"), "pubmed");
        assertThat(p.numNodes()).isEqualTo(19_717);
        assertThat(p.graph().numEdges()).isEqualTo(88_648);
        assertThat(p.featureDim()).isEqualTo(500);
        assertThat(p.classCounts()).containsExactly(4103, 7739, 7875);
        assertThat(p.edgeHomophily()).isCloseTo(0.8024, within(1e-4));
        int available = 0;
        for (int v = 0; v < p.numNodes(); v++) {
            available += p.featureAvailable(v) ? 1 : 0;
        }
        assertThat(available).isEqualTo(1060);
        assertThat(p.featureAvailable(0)).isTrue();
        assertThat(p.featureAvailable(100)).isFalse();
        assertThat(p.train()).hasSize(60);
        assertThat(p.graph().maxDegree()).isEqualTo(171);
    }

    @Test
    void planetoidPicklesEqualTheDerivedTsv() throws Exception {
        LabelledGraph p = PlanetoidLoader.load(TestData.path("graph/cora/planetoid"), "cora");
        assertThat(p.graph()).isEqualTo(coraTsv.graph());
        assertThat(p.labels()).containsExactly(coraTsv.labels());
        assertThat(Arrays.mismatch(p.features(), coraTsv.features())).as("first differing feature value").isEqualTo(-1);
        assertThat(p.train()).containsExactly(coraTsv.train());
        assertThat(p.val()).containsExactly(coraTsv.val());
        assertThat(p.test()).containsExactly(coraTsv.test());
    }

    @Test
    void gnnBenchmarkNpzIsTheSameGraphInLinqsOrder() throws Exception {
        LabelledGraph npz = GnnBenchmarkLoader.load(TestData.path("graph/cora/gnn-benchmark/cora.npz"), 1);
        assertThat(npz.numNodes()).isEqualTo(2708);
        assertThat(npz.graph().numEdges()).isEqualTo(10_556);
        assertThat(npz.featureDim()).isEqualTo(1433);
        assertThat(npz.classCounts()).containsExactly(298, 418, 818, 426, 217, 180, 351);
        assertThat(npz.edgeHomophily()).isCloseTo(0.80997, within(1e-5));
        assertThat(sortedDegrees(npz.graph())).containsExactly(sortedDegrees(coraTsv.graph()));
        assertThat(npz.train()).hasSize(140);
        assertThat(npz.val()).hasSize(500);
        assertThat(npz.test()).hasSize(1000);
    }

    @Test
    void linqsCitesAsPlainEdgeListWithRemappedIds() throws Exception {
        EdgeListReader reader = new EdgeListReader().ids(EdgeListReader.Ids.REMAP).symmetrise(true)
                .dropSelfLoops(true);
        CsrGraph g = reader.read(TestData.path("graph/cora/linqs/cora.cites"));
        assertThat(g.numNodes()).isEqualTo(2708);
        // 5,429 citations, 151 reciprocal pairs: 5,278 undirected edges
        assertThat(g.numEdges()).isEqualTo(2 * 5278);
        assertThat(sortedDegrees(g)).containsExactly(sortedDegrees(coraTsv.graph()));
        assertThat(reader.lastMapping()).containsEntry(35L, 0);
    }

    @Test
    void csrCacheRoundTripsCora(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("cora.csr");
        CsrCache.write(coraTsv.graph(), f);
        assertThat(f).hasSize(CsrCache.fileBytes(coraTsv.graph()));
        assertThat(CsrCache.read(f)).isEqualTo(coraTsv.graph());
    }

    private static int[] sortedDegrees(CsrGraph g) {
        int[] d = new int[g.numNodes()];
        for (int v = 0; v < d.length; v++) {
            d[v] = g.degree(v);
        }
        Arrays.sort(d);
        return d;
    }
}
