package org.mlsysworkbench.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;

/** Every bench's default example, run twice from the CLI on the CPU, writes byte-identical metrics.csv (F3). */
class ExamplesReproduceTest {

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> defaultExampleIsReproducible() {
        return Benches.all().stream().map(Bench::id).map(id -> DynamicTest.dynamicTest(id, () -> {
            String example = Benches.byId(id).orElseThrow().definition().examples().get(0);
            Path a = dir.resolve(id + "-a");
            Path b = dir.resolve(id + "-b");
            for (Path p : new Path[] {a, b}) {
                var r = CliTest.cli("run", id, "--example", example, "--out", p.toString(), "--backend", "cpu",
                        "--quiet");
                assertThat(r.code()).as(id + ": " + r.err()).isZero();
            }
            byte[] first = Files.readAllBytes(a.resolve("metrics.csv"));
            assertThat(first.length).as(id + " metrics.csv has rows").isGreaterThan("series,step,value\n".length());
            assertThat(Files.readAllBytes(b.resolve("metrics.csv"))).as(id + " metrics.csv").isEqualTo(first);
        }));
    }
}
