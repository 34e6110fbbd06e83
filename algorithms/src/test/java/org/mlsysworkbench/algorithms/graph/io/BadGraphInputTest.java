package org.mlsysworkbench.algorithms.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.testing.TestData;

/** Every kind of bad graph input gets a {@link GraphFormatException} naming the file and line or array. */
class BadGraphInputTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void edgeListOutOfRangeIdNamesTheLine() throws Exception {
        Path f = write("g.txt", "# comment\n0 1\n1 2\n2 9\n");
        assertThatThrownBy(() -> new EdgeListReader().numNodes(3).read(f))
                .isInstanceOf(GraphFormatException.class)
                .hasMessageStartingWith(f + ":4: ")
                .hasMessageContaining("dst 9 is out of range")
                .hasMessageContaining("[0, 3)");
    }

    @Test
    void edgeListNegativeAndNonNumericFields() throws Exception {
        Path neg = write("neg.txt", "0 1\n-3 2\n");
        assertThatThrownBy(() -> new EdgeListReader().read(neg))
                .hasMessageStartingWith(neg + ":2: ").hasMessageContaining("src -3 is negative");
        Path text = write("text.txt", "0 1\n1 two\n");
        assertThatThrownBy(() -> new EdgeListReader().read(text))
                .hasMessageStartingWith(text + ":2: ").hasMessageContaining("dst 'two' is not an integer");
        Path short1 = write("short.txt", "0 1\n7\n");
        assertThatThrownBy(() -> new EdgeListReader().read(short1))
                .hasMessageStartingWith(short1 + ":2: ").hasMessageContaining("expected 2 fields");
        Path remap = write("remap.txt", "paper:5 paper:x\n");
        assertThatThrownBy(() -> new EdgeListReader().ids(EdgeListReader.Ids.REMAP).read(remap))
                .hasMessageStartingWith(remap + ":1: ").hasMessageContaining("not an integer id");
    }

    @Test
    void emptyGraphsAreErrors() throws Exception {
        Path f = write("empty.txt", "# nothing here\n\n");
        assertThatThrownBy(() -> new EdgeListReader().read(f))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("empty graph");
        Path tsv = dir.resolve("tsv");
        Files.createDirectories(tsv);
        Files.writeString(tsv.resolve("g.labels.tsv"), "# node label\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageContaining("g.labels.tsv").hasMessageContaining("empty graph");
    }

    @Test
    void tsvDatasetErrorsNameFileAndLine() throws Exception {
        Path tsv = dir.resolve("tsv");
        Files.createDirectories(tsv);
        Files.writeString(tsv.resolve("g.labels.tsv"), "# node label\n0\t0\n1\t1\n2\tx\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageStartingWith(tsv.resolve("g.labels.tsv") + ":4: ")
                .hasMessageContaining("label 'x' is not an integer");
        Files.writeString(tsv.resolve("g.labels.tsv"), "# node label\n0\t0\n1\t1\n2\t1\n");
        Files.writeString(tsv.resolve("g.edges.tsv"), "# src dst\n0\t1\n1\t3\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageStartingWith(tsv.resolve("g.edges.tsv") + ":3: ")
                .hasMessageContaining("dst 3 is out of range");
        Files.writeString(tsv.resolve("g.edges.tsv"), "# src dst\n0\t1\n1\t2\n");
        Files.writeString(tsv.resolve("g.features.coo.tsv"), "# node feature value ; shape 3 x 4\n0\t1\t1\n1\t4\t1\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageStartingWith(tsv.resolve("g.features.coo.tsv") + ":3: ")
                .hasMessageContaining("feature 4 is out of range");
        Files.writeString(tsv.resolve("g.features.coo.tsv"), "# node feature value ; shape 3 x 4\n0\t1\tNaN\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageContaining(":2: ").hasMessageContaining("not finite");
        Files.writeString(tsv.resolve("g.features.coo.tsv"), "# node feature value ; shape 3 x 4\n0\t1\t1\n");
        Files.writeString(tsv.resolve("g.split.tsv"), "# node split\n0\ttrain\n1\tvalidation\n");
        assertThatThrownBy(() -> TsvDatasetLoader.load(tsv, "g"))
                .hasMessageStartingWith(tsv.resolve("g.split.tsv") + ":3: ")
                .hasMessageContaining("'validation' must be train, val, test or none");
    }

    @Test
    void truncatedNpzNamesTheFile() throws Exception {
        byte[] whole = Files.readAllBytes(TestData.path("graph/cora/gnn-benchmark/cora.npz"));
        Path half = dir.resolve("half.npz");
        Files.write(half, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> GnnBenchmarkLoader.load(half, 1))
                .isInstanceOf(GraphFormatException.class)
                .hasMessageStartingWith(half.toString())
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void truncatedOrMissingArrayInsideNpzNamesTheArray() throws Exception {
        Path src = TestData.path("graph/cora/gnn-benchmark/cora.npz");
        Path cut = dir.resolve("cut.npz");
        Path missing = dir.resolve("missing.npz");
        try (ZipFile zip = new ZipFile(src.toFile());
             ZipOutputStream cutOut = new ZipOutputStream(Files.newOutputStream(cut));
             ZipOutputStream missOut = new ZipOutputStream(Files.newOutputStream(missing))) {
            for (ZipEntry e : zip.stream().toList()) {
                byte[] b = zip.getInputStream(e).readAllBytes();
                if (e.getName().equals("adj_indices.npy")) {
                    b = Arrays.copyOf(b, b.length - 100); // a short array, in a valid ZIP
                } else {
                    missOut.putNextEntry(new ZipEntry(e.getName()));
                    missOut.write(b);
                }
                cutOut.putNextEntry(new ZipEntry(e.getName()));
                cutOut.write(b);
            }
        }
        assertThatThrownBy(() -> GnnBenchmarkLoader.load(cut, 1))
                .hasMessageStartingWith(cut + "[adj_indices.npy]: truncated data");
        assertThatThrownBy(() -> GnnBenchmarkLoader.load(missing, 1))
                .hasMessageStartingWith(missing + "[adj_indices.npy]: array missing");
    }

    @Test
    void npyHeaderProblems() {
        assertThatThrownBy(() -> NpyArray.parse("hello world".getBytes(StandardCharsets.US_ASCII), "x.npy"))
                .hasMessageStartingWith("x.npy: not a .npy array");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 60, 0});
        b.writeBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> NpyArray.parse(b.toByteArray(), "c.npy"))
                .hasMessageContaining("truncated .npy header");
    }

    @Test
    void truncatedAndCorruptCsrCache() throws Exception {
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.graph500(8, 8), 1);
        Path f = dir.resolve("g.csr");
        CsrCache.write(g, f);
        byte[] whole = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.csr");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 9));
        assertThatThrownBy(() -> CsrCache.read(cut)).hasMessageStartingWith(cut + ": truncated");
        whole[whole.length - 20] ^= 0x40;
        Path bad = dir.resolve("bad.csr");
        Files.write(bad, whole);
        assertThatThrownBy(() -> CsrCache.read(bad)).hasMessageContaining("checksum mismatch");
        Path notCsr = write("x.csr", "definitely not a cache file");
        assertThatThrownBy(() -> CsrCache.read(notCsr)).hasMessageContaining("magic");
        assertThat(CsrCache.read(f)).isEqualTo(g);
    }

    @Test
    void truncatedPlanetoidPickle() throws Exception {
        Path src = TestData.path("graph/cora/planetoid");
        Path copy = dir.resolve("planetoid");
        Files.createDirectories(copy);
        for (String part : new String[] {"x", "y", "tx", "ty", "allx", "ally", "graph", "test.index"}) {
            Files.copy(src.resolve("ind.cora." + part), copy.resolve("ind.cora." + part));
        }
        byte[] ally = Files.readAllBytes(copy.resolve("ind.cora.ally"));
        Files.write(copy.resolve("ind.cora.ally"), Arrays.copyOf(ally, ally.length / 3));
        assertThatThrownBy(() -> PlanetoidLoader.load(copy, "cora"))
                .isInstanceOf(GraphFormatException.class)
                .hasMessageStartingWith(copy.resolve("ind.cora.ally").toString())
                .hasMessageContaining("truncated");
    }
}
