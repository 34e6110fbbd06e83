package org.mlsysworkbench.algorithms.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.backends.BackendsBench;
import org.mlsysworkbench.algorithms.backends.BackendsConfig;
import org.mlsysworkbench.algorithms.backends.BackendsResult;

class ExperimentCoreTest {

    private static final BenchDefinition<BackendsConfig, BackendsResult> BENCH = BackendsBench.definition(List::of);

    private static BackendsConfig small() {
        return new BackendsConfig(1, 7, List.of(1000, 4097), List.of(17, 64), List.of(999), 2);
    }

    @Test
    void configRoundTripsThroughJson() {
        BackendsConfig c = small();
        String json = Json.write(c);
        assertThat(BENCH.parseConfig(json, "test.json")).isEqualTo(c);
        assertThat(json).contains("\"schemaVersion\" : 1").contains("\"seed\" : 7");
    }

    @Test
    void badJsonNamesTheSourceAndTheField() {
        String typo = Json.write(small()).replace("\"seed\"", "\"gemSizes\" : [1],\n  \"seed\"");
        assertThatThrownBy(() -> BENCH.parseConfig(typo, "x.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("x.json").hasMessageContaining("gemSizes");
        assertThatThrownBy(() -> BENCH.parseConfig("{\"schemaVersion\":1,", "y.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("y.json").hasMessageContaining("line 1");
        String absurd = Json.write(new BackendsConfig(1, 1, List.of(-5), List.of(8), List.of(8), 1));
        assertThatThrownBy(() -> BENCH.parseConfig(absurd, "z.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("saxpySizes[0]")
                .hasMessageContaining("-5");
    }

    @Test
    void parentConfigIsMergedChildOverParent(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.json"), Json.write(small()));
        Files.writeString(dir.resolve("child.json"), "{\"parent\":\"base.json\",\"seed\":99}");
        BackendsConfig c = Json.readConfig(dir.resolve("child.json"), BackendsConfig.class);
        assertThat(c.seed()).isEqualTo(99);
        assertThat(c.gemmSizes()).isEqualTo(small().gemmSizes());
        assertThatThrownBy(() -> Json.readConfig(dir.resolve("missing.json"), BackendsConfig.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.json")
                .hasMessageContaining("not found");
    }

    @Test
    void runFolderHoldsConfigMetricsEnvAndArtifacts(@TempDir Path dir) throws Exception {
        var outcome = RunFolder.run(BENCH, small(), dir.resolve("run"), Backend.cpu(), ProgressListener.NONE,
                CancellationToken.none(), MetricsSink.NONE);
        Path run = outcome.dir();
        assertThat(run.resolve(RunFolder.CONFIG)).exists();
        assertThat(run.resolve(RunFolder.ENV)).exists();
        assertThat(run.resolve("throughput.csv")).exists();
        assertThat(Files.readString(run.resolve(RunFolder.METRICS)))
                .startsWith("series,step,value\n").contains("gemm_max_error_cpu,64,0");
        assertThat(Files.readString(run.resolve(RunFolder.TIMINGS))).contains("gemm_cpu_gflops,64,");
        EnvInfo env = Json.read(Files.readString(run.resolve(RunFolder.ENV)), EnvInfo.class, "env.json");
        assertThat(env.backend()).isEqualTo("cpu");
        assertThat(env.bench()).isEqualTo("backends");
        assertThat(env.configSha256()).hasSize(64);
        assertThat(env.functionalOnly()).isFalse();
        assertThat(outcome.result().rows()).hasSize(5);
    }

    @Test
    void sameConfigOnCpuGivesByteIdenticalMetrics(@TempDir Path dir) throws Exception {
        RunFolder.run(BENCH, small(), dir.resolve("a"), Backend.cpu(), ProgressListener.NONE,
                CancellationToken.none(), MetricsSink.NONE);
        RunFolder.run(BENCH, small(), dir.resolve("b"), Backend.cpu(), ProgressListener.NONE,
                CancellationToken.none(), MetricsSink.NONE);
        assertThat(Files.readAllBytes(dir.resolve("a").resolve(RunFolder.METRICS)))
                .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(RunFolder.METRICS)));
    }

    @Test
    void cancellationStopsARunningExperimentWithinOneSecond(@TempDir Path dir) throws Exception {
        // many seconds in all, but no single kernel call longer than ~0.3 s even on a loaded 2-core machine:
        // cancellation is checked between calls
        BackendsConfig longRun = new BackendsConfig(1, 1, List.of(1 << 22), List.of(640, 640, 640, 640, 640, 640, 640, 640),
                List.of(1 << 22), 100);
        CancellationToken token = new CancellationToken();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                RunFolder.run(BENCH, longRun, dir, Backend.cpu(), (f, m) -> started.countDown(), token,
                        MetricsSink.NONE);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        worker.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        long t0 = System.nanoTime();
        token.cancel();
        worker.join(5000);
        double stopMs = (System.nanoTime() - t0) / 1e6;
        assertThat(worker.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(CancelledException.class);
        assertThat(stopMs).as("cancel latency in ms").isLessThan(1000);
    }
}
