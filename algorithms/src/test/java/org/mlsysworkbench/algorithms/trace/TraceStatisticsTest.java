package org.mlsysworkbench.algorithms.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.testing.TestData;

class TraceStatisticsTest {

    @TempDir
    Path tmp;

    /** Seren-layout rows: gpus, duration s, queue s, state, type. Submissions one minute apart. */
    private Path trace(Object[]... rows) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", TraceVariant.CORE));
        long t = AcmeTraceReader.parseUtcSeconds("2023-03-01 00:00:00+08:00");
        int id = 1;
        for (Object[] r : rows) {
            int gpus = (Integer) r[0];
            long dur = ((Number) r[1]).longValue();
            long queue = ((Number) r[2]).longValue();
            String start = AcmeTraceReader.formatTimestamp(t + queue, 8 * 3600);
            String end = AcmeTraceReader.formatTimestamp(t + queue + dur, 8 * 3600);
            lines.add(id++ + ",u1," + Math.max(1, gpus / 8) + "," + gpus + ",8," + r[4] + "," + r[3] + ","
                    + AcmeTraceReader.formatTimestamp(t, 8 * 3600) + "," + start + "," + end + "," + dur + "," + queue
                    + "," + (gpus > 0 ? gpus * dur + ".0" : ""));
            t += 60;
        }
        Path p = tmp.resolve("t.csv");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void summaryOfAKnownSampleIsExact() throws Exception {
        Path p = trace(new Object[] {1, 10, 0, "COMPLETED", "Eval"}, new Object[] {8, 100, 4, "FAILED", "Pretrain"},
                new Object[] {64, 1000, 2, "CANCELLED", "Pretrain"}, new Object[] {2, 30, 6, "PREEMPTED", "Eval"},
                new Object[] {0, 5, 1, "COMPLETED", "CPU"}, new Object[] {0, 7, 3, "FAILED", "CPU"});
        try (TraceDatabase db = TraceDatabase.inMemory(1)) {
            db.load(p, AcmeTraceReader.OnError.STOP, CancellationToken.none());
            ClusterSummary s = TraceStatistics.summary(db, "test");
            assertThat(s.get(SummaryColumn.JOB_NUM)).isEqualTo(6);
            assertThat(s.get(SummaryColumn.GPU_JOB_NUM)).isEqualTo(4);
            assertThat(s.get(SummaryColumn.CPU_JOB_NUM)).isEqualTo(2);
            assertThat(s.get(SummaryColumn.AVG_RUN_TIME_GPU)).isEqualTo((10 + 100 + 1000 + 30) / 4.0);
            // the median of 10, 30, 100, 1000 is (30 + 100) / 2: interpolated as pandas does
            assertThat(s.get(SummaryColumn.MED_RUN_TIME_GPU)).isEqualTo(65.0);
            assertThat(s.get(SummaryColumn.MED_QUE_TIME_GPU)).isEqualTo(3.0);
            assertThat(s.get(SummaryColumn.AVG_GPU_NUM)).isEqualTo(75 / 4.0);
            assertThat(s.get(SummaryColumn.MED_GPU_NUM)).isEqualTo(5.0);
            assertThat(s.get(SummaryColumn.MAX_RUN_TIME_GPU)).isEqualTo(1000);
            assertThat(s.get(SummaryColumn.MAX_GPU)).isEqualTo(64);
            assertThat(s.get(SummaryColumn.COMPLETE_RATE_GPU)).isEqualTo(0.25);
            assertThat(s.get(SummaryColumn.CANCEL_RATE_GPU)).isEqualTo(0.25);
            assertThat(s.get(SummaryColumn.FAIL_RATE_GPU)).isEqualTo(0.5);
            assertThat(s.get(SummaryColumn.COMPLETE_GPU_TIME)).isEqualTo(10);
            assertThat(s.get(SummaryColumn.CANCEL_GPU_TIME)).isEqualTo(64000);
            assertThat(s.get(SummaryColumn.FAIL_GPU_TIME)).isEqualTo(800 + 60);
            assertThat(s.get(SummaryColumn.CANCEL_RATE_GPU_TIME)).isCloseTo(64000 / 64870.0, within(1e-12));
            assertThat(s.get(SummaryColumn.AVG_RUN_TIME_CPU)).isEqualTo(6.0);
            assertThat(s.get(SummaryColumn.MED_QUE_TIME_CPU)).isEqualTo(2.0);
            assertThat(s.get(SummaryColumn.FAIL_RATE_CPU)).isEqualTo(0.5);

            TraceDashboard d = TraceStatistics.dashboard(db, "test", CancellationToken.none());
            Cdf gpu = d.durationCdf("GPU");
            assertThat(gpu.total()).isEqualTo(4);
            // 10 s <= 16, 30 s <= 32, 100 s <= 128, 1000 s <= 1024
            assertThat(gpu.at(8)).isEqualTo(0);
            assertThat(gpu.at(16)).isEqualTo(0.25);
            assertThat(gpu.at(32)).isEqualTo(0.5);
            assertThat(gpu.at(128)).isEqualTo(0.75);
            assertThat(gpu.at(1024)).isEqualTo(1.0);
            assertThat(d.durationCdf("Pretrain").at(128)).isEqualTo(0.5);
            assertThat(d.gpuDemandByJobs().at(1)).isEqualTo(0.25);
            assertThat(d.gpuDemandByTime().at(8)).isCloseTo(870 / 64870.0, within(1e-12));
            assertThat(TraceDashboard.share(d.gpuStates(), "PREEMPTED").jobs()).isEqualTo(1);
            assertThat(TraceDashboard.share(d.types(), "Pretrain").gpuTimeShare()).isCloseTo(64800 / 64870.0,
                    within(1e-12));
            assertThat(d.failureBySize()).extracting(Share::category).containsExactly("1", "2-8", "9-64");
            assertThat(d.hourOfDayJobs()[16]).isEqualTo(6);
            assertThat(TraceStatistics.quantile(db, "duration_s", 0.5, "is_gpu")).isEqualTo(65.0);
        }
    }

    @Test
    void kalosFixtureStatisticsUseTheDurationColumnAndFlagIt() throws Exception {
        try (TraceDatabase db = TraceDatabase.inMemory(1)) {
            db.load(TestData.path("trace/acme/derived/fixtures/trace_kalos_head3.csv"), AcmeTraceReader.OnError.STOP,
                    CancellationToken.none());
            TraceDashboard d = TraceStatistics.dashboard(db, "Kalos", CancellationToken.none());
            assertThat(d.durationIncludesQueueing()).isTrue();
            ClusterSummary s = d.summary();
            // durations 18, 19, 82 s (queueing included, as in the paper's notebook); waits 10, 13, 12 s
            assertThat(s.get(SummaryColumn.MED_RUN_TIME_GPU)).isEqualTo(19);
            assertThat(s.get(SummaryColumn.AVG_QUE_TIME_GPU)).isCloseTo(35 / 3.0, within(1e-12));
            assertThat(s.get(SummaryColumn.CANCEL_GPU_TIME)).isEqualTo(5248);
            assertThat(s.get(SummaryColumn.FAIL_GPU_TIME)).isEqualTo(1152 + 1216);
            assertThat(d.runtimeCdfs().get(0).at(8)).isCloseTo(2 / 3.0, within(1e-12));
        }
    }

    @Test
    void sqlConsoleReturnsPlainValues() throws Exception {
        try (TraceDatabase db = TraceDatabase.inMemory(1)) {
            db.load(TestData.path("trace/acme/derived/fixtures/trace_seren_head3.csv"), AcmeTraceReader.OnError.STOP,
                    CancellationToken.none());
            ResultTable t = db.query("SELECT state, count(*) AS n, sum(gpu_time_s) AS g FROM jobs GROUP BY state "
                    + "ORDER BY state", 10);
            assertThat(t.columns()).containsExactly("state", "n", "g");
            assertThat(t.rows()).containsExactly(List.of("COMPLETED", 1L, 21544.0), List.of("FAILED", 2L, 281088.0));
            assertThat(t.isNumeric(2)).isTrue();
            assertThat(db.query("SELECT * FROM range(5)", 2).truncated()).isTrue();
        }
    }
}
