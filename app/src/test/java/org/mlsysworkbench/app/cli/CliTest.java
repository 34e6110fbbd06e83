package org.mlsysworkbench.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    /** Exit code plus what the command printed. */
    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runWithAnExampleWritesTheRunFolder(@TempDir Path dir) throws Exception {
        Result r = cli("run", "backends", "--example", "default", "--out", dir.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("config.json")).exists();
        assertThat(dir.resolve("env.json")).exists();
        assertThat(dir.resolve("throughput.csv")).exists();
        assertThat(Files.readString(dir.resolve("metrics.csv"))).startsWith("series,step,value\n")
                .contains("gemm_max_error_cpu,512,");
        assertThat(r.out()).contains("backends: finished");
    }

    @Test
    void unknownBenchIsAUsageErrorNamingIt(@TempDir Path dir) {
        Result r = cli("run", "nosuchbench", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown bench 'nosuchbench'").contains("backends");
    }

    @Test
    void badJsonIsAUsageErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"schemaVersion\": 1,\n  \"seed\": oops\n}\n");
        Result r = cli("run", "backends", "--config", bad.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.json").contains("line 3");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void absurdParameterIsAUsageErrorNamingTheField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("absurd.json");
        Files.writeString(bad, "{\"schemaVersion\":1,\"seed\":1,\"saxpySizes\":[8],\"gemmSizes\":[100000],"
                + "\"sumSizes\":[8],\"repetitions\":1}");
        Result r = cli("run", "backends", "--config", bad.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("absurd.json").contains("gemmSizes[0]").contains("100000");
    }

    @Test
    void missingFileAndUnknownOptionAreUsageErrors(@TempDir Path dir) {
        Result missing = cli("run", "backends", "--config", dir.resolve("nope.json").toString(), "--out",
                dir.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json").contains("not found");
        Result unknown = cli("run", "backends", "--bogus", "--out", dir.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--bogus");
        Result backend = cli("run", "backends", "--backend", "quantum", "--out", dir.toString());
        assertThat(backend.code()).isEqualTo(2);
        assertThat(backend.err()).contains("--backend").contains("quantum");
    }

    @Test
    void listNamesBenchesExamplesAndSuites() {
        Result r = cli("list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("backends").contains("default, large");
    }

    @Test
    void devicesListsThePlainJavaCpu() {
        Result r = cli("devices");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("plain Java").contains("type: java");
    }

    @Test
    void selftestPassesAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.txt");
        Result r = cli("--selftest", "--headless", "--report", report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS kernels agree on cpu").contains("PASS bench backends: tiny run")
                .contains("all checks passed");
        assertThat(Files.readString(report)).contains("PASS bench backends: example 'smoke' parses");
    }

    @Test
    void benchQuickPrintsRowsAndWritesCsv(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("b.csv");
        Result r = cli("bench", "backends", "--quick", "--csv", csv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("gemm 512 cpu").contains("GFLOP/s");
        assertThat(Files.readString(csv)).startsWith("# device: ").contains("suite,case,metric,value,unit,note");
        assertThat(cli("bench", "nosuch").code()).isEqualTo(2);
    }
}
