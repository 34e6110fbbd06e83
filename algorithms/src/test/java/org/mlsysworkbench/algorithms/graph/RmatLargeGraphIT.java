package org.mlsysworkbench.algorithms.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.graph.io.CsrCache;
import org.junit.jupiter.api.TestReporter;

/**
 * The scale check: a 2M-node / 50M-edge R-MAT graph generates, caches and loads on the 24 GiB
 * machine. Not part of {@code mvn test} (the name ends in IT; it takes a minute and about 3 GB of heap).
 * Run it with
 * {@code mvn -o -pl algorithms test -Dtest=RmatLargeGraphIT -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest.extra.argLine=-Xmx6g}.
 */
class RmatLargeGraphIT {

    @Test
    void twoMillionNodesFiftyMillionEdges(@TempDir Path dir, TestReporter report) throws Exception {
        RmatGenerator.Params p = RmatGenerator.Params.productsLike(21);
        p = new RmatGenerator.Params(21, 24, p.a(), p.b(), p.c(), p.d(), true);
        long t0 = System.nanoTime();
        CsrGraph g = RmatGenerator.generate(p, 1);
        long t1 = System.nanoTime();
        Path f = dir.resolve("rmat21.csr");
        CsrCache.write(g, f);
        long t2 = System.nanoTime();
        CsrGraph back = CsrCache.read(f);
        long t3 = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        String line = (String.format(java.util.Locale.ROOT, "R-MAT scale 21 ef 24: %d nodes, %d drawn edges, "
                        + "%d stored; generate %.1f s, write %.1f s, read %.1f s; graph %d MB, file %d MB, heap used "
                        + "%d MB of max %d MB",
                g.numNodes(), p.drawnEdges(), g.numEdges(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                g.bytes() >> 20, Files.size(f) >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20));
        report.publishEntry("rmat21", line);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "rmat21-scale.txt"), line + "\n");
        assertThat(g.numNodes()).isEqualTo(2_097_152);
        assertThat(p.drawnEdges()).isGreaterThanOrEqualTo(50_000_000);
        assertThat(back.numEdges()).isEqualTo(g.numEdges());
        assertThat(back).isEqualTo(g);
    }
}
