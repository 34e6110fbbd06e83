package org.mlsysworkbench.algorithms.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.core.RunFolder;

class TraceExperimentTest {

    @TempDir
    Path tmp;

    private static final BenchDefinition<TraceConfig, TraceResult> BENCH = TraceBench.definition();

    private static Path sample(String name) {
        Path p = Path.of("..", "samples", "trace", name + ".json");
        return Files.exists(p) ? p : Path.of("samples", "trace", name + ".json");
    }

    @Test
    void examplesParseAndDefaultsRoundTrip() throws Exception {
        assertThat(BENCH.examples()).first().isEqualTo("default");
        for (String name : BENCH.examples()) {
            TraceConfig c = BENCH.parseConfig(Files.readString(sample(name)), name);
            assertThat(c.validate()).isSameAs(c);
        }
        assertThat(BENCH.parseConfig(Files.readString(sample("default")), "default")).isEqualTo(BENCH.defaults());
        assertThat(BENCH.parseConfig(Json.write(BENCH.defaults()), "defaults")).isEqualTo(BENCH.defaults());
    }

    @Test
    void badConfigsNameTheField() {
        TraceConfig d = TraceConfig.defaults();
        assertThatThrownBy(() -> d.withGenerated("Venus", 10).validate()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cluster: expected one of Seren, Kalos, Philly, Helios, PAI");
        assertThatThrownBy(() -> d.withGenerated("Kalos", 0).validate()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("jobs:");
        assertThatThrownBy(() -> d.withFile("", "Kalos").validate()).hasMessageStartingWith("traceFile:");
        assertThatThrownBy(() -> BENCH.parseConfig("{\"schemaVersion\": 1, \"sed\": 3}", "typo.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("typo.json");
    }

    @Test
    void kalosFixtureExampleRunsIntoARunFolder() throws Exception {
        TraceConfig c = BENCH.parseConfig(Files.readString(sample("kalos-fixture")), "kalos-fixture");
        RecordingMetricsSink live = new RecordingMetricsSink();
        RunFolder.Outcome<TraceResult> out = RunFolder.run(BENCH, c, tmp.resolve("run"), Backend.cpu(), (f, m) -> { },
                CancellationToken.none(), live);
        TraceResult r = out.result();
        assertThat(r.scan().rows()).isEqualTo(3);
        assertThat(r.scan().durationIncludesQueueing()).isTrue();
        assertThat(r.jobScale()).isEqualTo(1);
        assertThat(live.last("jobs_loaded")).isEqualTo(3);
        assertThat(live.last("duration_includes_queueing")).isEqualTo(1);
        assertThat(live.last("summary_med_run_time_gpu")).isEqualTo(19);
        assertThat(live.last("published_avg_gpu_num")).isEqualTo(26.77);
        for (String f : List.of("config.json", "metrics.csv", "env.json", "reproduction.csv", "duration_cdf.csv",
                "queue_cdf.csv", "gpu_demand.csv", "states.csv", "types.csv", "trace_kalos_head3.csv")) {
            assertThat(out.dir().resolve(f)).exists();
        }
        assertThat(Files.readString(out.dir().resolve("timings.csv"))).contains("load_s");
        assertThat(Files.readString(out.dir().resolve("metrics.csv"))).doesNotContain("load_s");
        assertThat(Files.readAllLines(out.dir().resolve("reproduction.csv")).get(0))
                .isEqualTo("cluster,quantity,published,recomputed,unit,tolerance,agreement");
    }

    @Test
    void smokeExampleReproducesTheKalosRowAndIsReproducible() throws Exception {
        TraceConfig c = BENCH.parseConfig(Files.readString(sample("smoke")), "smoke");
        RunFolder.Outcome<TraceResult> a = RunFolder.run(BENCH, c, tmp.resolve("a"), Backend.cpu(), (f, m) -> { },
                CancellationToken.none(), MetricsSink.NONE);
        RunFolder.Outcome<TraceResult> b = RunFolder.run(BENCH, c, tmp.resolve("b"), Backend.cpu(), (f, m) -> { },
                CancellationToken.none(), MetricsSink.NONE);
        assertThat(Files.readString(a.dir().resolve("metrics.csv"))).isEqualTo(Files.readString(b.dir().resolve(
                "metrics.csv")));
        TraceResult r = a.result();
        assertThat(r.scan().rows()).isEqualTo(5000);
        // 5,000 jobs still reproduce the published Kalos row's rates within 2 points
        assertThat(r.summaryRows()).filteredOn(row -> row.unit().equals("%"))
                .allSatisfy(row -> assertThat(row.agreement()).as(row.quantity()).isEqualTo(Agreement.AGREE));
        assertThat(r.claimRows()).isNotEmpty();
        assertThat(r.checkpointSweep()).isNotNull();
        assertThat(r.checkpointRun().timeline()).isNotEmpty();
        assertThat(r.evaluation()).hasSize(1);
        assertThat(a.dir().resolve("checkpoint_sweep.csv")).exists();
        assertThat(a.dir().resolve("evaluation.csv")).exists();
    }

    @Test
    void inMemoryRunLeavesNoFilesBehindAndMalformedFilesNameTheLine() throws Exception {
        TraceConfig c = TraceConfig.defaults().withGenerated("Philly", 2000);
        TraceResult r = new TraceExperiment().run(c, RunContext.inMemory(c.seed()));
        assertThat(r.traceCsv()).isNull();
        // Philly: only the utilisation claim (48 % median GPU utilisation) applies
        assertThat(r.claimRows()).singleElement().satisfies(row -> {
            assertThat(row.quantity()).startsWith("6. median GPU utilisation");
            assertThat(row.tolerance()).isEqualTo("±1.5 % relative");
            assertThat(row.agreement()).isEqualTo(Agreement.AGREE);
        });
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, String.join(",", TraceVariant.CORE) + "\n1,u1,1,8,8,Eval,FAILED,2023-03-01 00:00:00"
                + "+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:00:05+08:00,5,10,40.0\n");
        TraceConfig f = TraceConfig.defaults().withFile(bad.toString(), "Seren");
        assertThatThrownBy(() -> new TraceExperiment().run(f, RunContext.inMemory(1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad.csv:2: field 'end_time': before start_time (negative runtime of -5 s)");
    }
}
