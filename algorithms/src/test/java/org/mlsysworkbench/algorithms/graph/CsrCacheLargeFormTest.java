package org.mlsysworkbench.algorithms.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.graph.io.CsrCache;

class CsrCacheLargeFormTest {

    @Test
    void chunkedGraphRoundTripsThroughTheCache(@TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        EdgeList e = new EdgeList();
        for (int i = 0; i < 3000; i++) {
            e.add(r.nextInt(200), r.nextInt(200));
        }
        CsrGraph chunked = new GraphBuilder().symmetrise(true).chunkBits(5).build(e, 200);
        assertThat(chunked.isCompact()).isFalse();
        Path f = dir.resolve("g.csr");
        CsrCache.write(chunked, f);
        assertThat(f).hasSize(CsrCache.fileBytes(chunked));
        CsrGraph back = CsrCache.read(f);
        assertThat(back).isEqualTo(chunked);
        assertThat(back.hasEdge(chunked.neighbour(7, 0), 7)).isTrue();
    }
}
