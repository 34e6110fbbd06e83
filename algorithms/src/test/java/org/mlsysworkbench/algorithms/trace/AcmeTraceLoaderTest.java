package org.mlsysworkbench.algorithms.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.testing.TestData;

class AcmeTraceLoaderTest {

    private static final Path KALOS = TestData.path("trace/acme/derived/fixtures/trace_kalos_head3.csv");
    private static final Path SEREN = TestData.path("trace/acme/derived/fixtures/trace_seren_head3.csv");

    private static TraceDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws Exception {
        db = TraceDatabase.inMemory(1);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    private static long utc(String iso) {
        return java.time.OffsetDateTime.parse(iso).toEpochSecond();
    }

    @Test
    void kalosFixtureLoadsExactlyThroughTheEngine() throws Exception {
        TraceDatabase.Load load = db.load(KALOS, AcmeTraceReader.OnError.STOP, CancellationToken.none());
        assertThat(load.scan().variant()).isEqualTo(TraceVariant.KALOS);
        assertThat(load.scan().rows()).isEqualTo(3);
        assertThat(load.durationIncludesQueueing()).isTrue();
        List<JobRecord> jobs = db.jobs(10);
        assertThat(jobs).hasSize(3);
        JobRecord first = jobs.get(0);
        assertThat(first.jobId()).isEqualTo("dlctk696s0jbvitv");
        assertThat(first.user()).isEqualTo("uf794");
        assertThat(first.nodeNum()).isEqualTo(8);
        assertThat(first.gpuNum()).isEqualTo(64);
        assertThat(first.cpuNum()).isEqualTo(960);
        assertThat(first.type()).isEqualTo("Other");
        assertThat(first.state()).isEqualTo("FAILED");
        assertThat(first.submitS()).isEqualTo(utc("2023-05-17T11:00:58Z"));
        assertThat(first.startS()).isEqualTo(utc("2023-05-17T11:01:08Z"));
        assertThat(first.endS()).isEqualTo(utc("2023-05-17T11:01:16Z"));
        assertThat(first.failS()).isEqualTo(utc("2023-05-17T11:01:16Z"));
        // F41: the Kalos example row: duration column 18 s (includes queueing), runtime 8 s, wait 10 s, 1152 GPU-s
        assertThat(first.durationColumnS()).isEqualTo(18.0);
        assertThat(first.runtimeS()).isEqualTo(8.0);
        assertThat(first.waitS()).isEqualTo(10.0);
        assertThat(first.queueColumnS()).isEqualTo(10.0);
        assertThat(first.gpuTimeColumn()).isEqualTo(1152.0);
        assertThat(first.gpuNum() * first.durationColumnS()).isEqualTo(1152.0);
        assertThat(first.gpuTimeS()).isEqualTo(64 * 8.0);

        JobRecord third = jobs.get(2);
        assertThat(third.jobId()).isEqualTo("dlc1t2ypl09b8qtp");
        assertThat(third.state()).isEqualTo("CANCELLED");
        assertThat(third.failS()).isEqualTo(JobRecord.NONE);
        assertThat(third.durationColumnS()).isEqualTo(82.0);
        assertThat(third.runtimeS()).isEqualTo(70.0);
        assertThat(third.waitS()).isEqualTo(12.0);
        assertThat(third.gpuTimeColumn()).isEqualTo(5248.0);

        ResultTable derived = db.query("SELECT runtime_s, wait_s, gpu_time_s, state_group FROM jobs", 10);
        assertThat(derived.rows()).containsExactly(List.of(8L, 10L, 512.0, "fail"), List.of(6L, 13L, 384.0, "fail"),
                List.of(70L, 12L, 4480.0, "cancel"));
    }

    @Test
    void serenFixtureLoadsExactlyWithTimesNormalisedToUtc() throws Exception {
        TraceDatabase.Load load = db.load(SEREN, AcmeTraceReader.OnError.STOP, CancellationToken.none());
        assertThat(load.scan().variant()).isEqualTo(TraceVariant.SEREN);
        assertThat(load.durationIncludesQueueing()).isFalse();
        List<JobRecord> jobs = db.jobs(10);
        assertThat(jobs).extracting(JobRecord::jobId).containsExactly("5778432", "5778469", "5778565");
        JobRecord a = jobs.get(0);
        // 2023-03-01 00:18:22+08:00 is 2023-02-28 16:18:22 UTC
        assertThat(a.submitS()).isEqualTo(utc("2023-02-28T16:18:22Z"));
        assertThat(a.startS()).isEqualTo(utc("2023-02-28T16:18:54Z"));
        assertThat(a.endS()).isEqualTo(utc("2023-02-28T16:20:51Z"));
        assertThat(a.durationColumnS()).isEqualTo(117.0).isEqualTo(a.runtimeS());
        assertThat(a.waitS()).isEqualTo(32.0).isEqualTo(a.queueColumnS());
        assertThat(a.gpuTimeColumn()).isEqualTo(936.0).isEqualTo(a.gpuTimeS());
        assertThat(jobs.get(1)).extracting(JobRecord::state, JobRecord::durationColumnS, JobRecord::queueColumnS,
                JobRecord::gpuTimeColumn).containsExactly("COMPLETED", 2693.0, 13.0, 21544.0);
        assertThat(jobs.get(2)).extracting(JobRecord::user, JobRecord::durationColumnS, JobRecord::waitS,
                JobRecord::gpuTimeColumn).containsExactly("u8742", 35019.0, 2.0, 280152.0);
        assertThat(jobs).allSatisfy(j -> assertThat(j.gpuNum() * j.durationColumnS()).isEqualTo(j.gpuTimeColumn()));
    }

    @Test
    void readerSinkSeesTheSameRowsAsTheEngine() throws Exception {
        List<JobRecord> rows = new ArrayList<>();
        AcmeTraceReader.scan(KALOS, AcmeTraceReader.OnError.STOP, rows::add, CancellationToken.none());
        db.load(KALOS, AcmeTraceReader.OnError.STOP, CancellationToken.none());
        assertThat(rows).isEqualTo(db.jobs(10));
    }

    @Test
    void timestampsRoundTrip() {
        long t = AcmeTraceReader.parseUtcSeconds("2023-03-01 00:18:22+08:00");
        assertThat(t).isEqualTo(utc("2023-02-28T16:18:22Z"));
        assertThat(AcmeTraceReader.formatTimestamp(t, 8 * 3600)).isEqualTo("2023-03-01 00:18:22+08:00");
        assertThat(AcmeTraceReader.formatTimestamp(t, 0)).isEqualTo("2023-02-28 16:18:22+00:00");
        assertThat(AcmeTraceReader.parseUtcSeconds("2024-02-29 23:59:59-05:30")).isEqualTo(utc("2024-03-01T05:29:59Z"));
        assertThat(AcmeTraceReader.parseUtcSeconds("2023-02-29 00:00:00+00:00")).isEqualTo(JobRecord.NONE);
        assertThat(AcmeTraceReader.parseUtcSeconds("2023-05-17 11:00:58")).isEqualTo(JobRecord.NONE);
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path serenWith(String name, int row, String column, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SEREN));
        String[] header = lines.get(0).split(",");
        String[] f = lines.get(row).split(",", -1);
        f[java.util.Arrays.asList(header).indexOf(column)] = value;
        lines.set(row, String.join(",", f));
        return write(name, String.join("\n", lines) + "\n");
    }

    private static TraceFormatException stopAt(Path p) {
        try {
            AcmeTraceReader.scan(p, AcmeTraceReader.OnError.STOP, null, CancellationToken.none());
        } catch (TraceFormatException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a TraceFormatException for " + p);
    }

    @Test
    void emptyFileNamesFileLineAndHeader() throws IOException {
        TraceFormatException e = stopAt(write("empty.csv", ""));
        assertThat(e.file()).isEqualTo("empty.csv");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("header");
        assertThat(e.getMessage()).startsWith("empty.csv:1: field 'header': empty file");
        TraceFormatException onlyHeader = stopAt(write("header-only.csv", String.join(",", TraceVariant.CORE) + "\n"));
        assertThat(onlyHeader.line()).isEqualTo(2);
        assertThat(onlyHeader.getMessage()).contains("no job rows");
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        List<String> lines = Files.readAllLines(SEREN);
        String text = String.join("\n", lines).replace(",queue,", ",queue_s,");
        TraceFormatException e = stopAt(write("renamed.csv", text));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("queue");
        assertThat(e.getMessage()).contains("missing column");
    }

    @Test
    void wrongDelimiterIsNamed() throws IOException {
        String text = String.join("\n", Files.readAllLines(SEREN)).replace(',', ';');
        TraceFormatException e = stopAt(write("semicolons.csv", text));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("wrong delimiter: found ';', expected ','");
        List<String> lines = new ArrayList<>(Files.readAllLines(SEREN));
        lines.set(2, lines.get(2).replace(',', '\t'));
        TraceFormatException row = stopAt(write("tab-row.csv", String.join("\n", lines)));
        assertThat(row.line()).isEqualTo(3);
        assertThat(row.getMessage()).contains("expected 13 fields, found 1 (wrong delimiter?)");
    }

    @Test
    void badTimestampNamesLineAndField() throws IOException {
        TraceFormatException e = stopAt(serenWith("bad-ts.csv", 2, "start_time", "2023-03-01 25:24:11+08:00"));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("start_time");
        assertThat(e.getMessage()).isEqualTo("bad-ts.csv:3: field 'start_time': expected yyyy-MM-dd HH:mm:ss±hh:mm, "
                + "found '2023-03-01 25:24:11+08:00'");
        TraceFormatException noZone = stopAt(serenWith("no-zone.csv", 1, "end_time", "2023-03-01 00:20:51"));
        assertThat(noZone.field()).isEqualTo("end_time");
        assertThat(noZone.line()).isEqualTo(2);
    }

    @Test
    void negativeDurationsAreRejected() throws IOException {
        TraceFormatException col = stopAt(serenWith("neg-duration.csv", 3, "duration", "-5"));
        assertThat(col.line()).isEqualTo(4);
        assertThat(col.field()).isEqualTo("duration");
        assertThat(col.getMessage()).contains("negative duration '-5'");
        TraceFormatException order = stopAt(serenWith("end-before-start.csv", 1, "end_time",
                "2023-03-01 00:18:00+08:00"));
        assertThat(order.field()).isEqualTo("end_time");
        assertThat(order.getMessage()).contains("negative runtime of -54 s");
        TraceFormatException wait = stopAt(serenWith("start-before-submit.csv", 2, "start_time",
                "2023-03-01 00:23:00+08:00"));
        assertThat(wait.field()).isEqualTo("start_time");
        assertThat(wait.getMessage()).contains("negative wait of -58 s");
    }

    @Test
    void numbersAndRequiredFieldsAreChecked() throws IOException {
        TraceFormatException gpus = stopAt(serenWith("bad-gpus.csv", 1, "gpu_num", "eight"));
        assertThat(gpus.field()).isEqualTo("gpu_num");
        assertThat(gpus.getMessage()).contains("expected a number, found 'eight'");
        TraceFormatException state = stopAt(serenWith("no-state.csv", 2, "state", ""));
        assertThat(state.field()).isEqualTo("state");
        assertThat(state.line()).isEqualTo(3);
    }

    @Test
    void skipModeReportsBadRowsAndLoadsTheRest() throws Exception {
        Path p = serenWith("one-bad.csv", 2, "submit_time", "yesterday");
        TraceDatabase.Load load = db.load(p, AcmeTraceReader.OnError.SKIP, CancellationToken.none());
        assertThat(load.scan().rows()).isEqualTo(2);
        assertThat(load.scan().skippedRows()).isEqualTo(1);
        assertThat(load.scan().errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.field()).isEqualTo("submit_time");
        });
        assertThat(db.jobs(10)).extracting(JobRecord::jobId).containsExactly("5778432", "5778565");
        assertThatThrownBy(() -> db.load(p, AcmeTraceReader.OnError.STOP, CancellationToken.none()))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("one-bad.csv:3");
    }

    @Test
    void unknownStatesAreKeptAsTheirOwnCategory() throws Exception {
        Path p = serenWith("preempted.csv", 1, "state", "PREEMPTED");
        db.load(p, AcmeTraceReader.OnError.STOP, CancellationToken.none());
        TraceDashboard d = TraceStatistics.dashboard(db, "test", CancellationToken.none());
        assertThat(d.gpuStates()).extracting(Share::category).contains("PREEMPTED", "FAILED", "COMPLETED");
        // the paper counts every state but COMPLETED and CANCELLED as failed: 2 of 3 jobs
        assertThat(d.summary().get(SummaryColumn.FAIL_RATE_GPU)).isEqualTo(2.0 / 3.0);
    }

    @Test
    void aFileNamedLikeTheKalosReleaseIsCheckedAgainstItsDigest() throws Exception {
        Path copy = tmp.resolve("trace_kalos.csv");
        Files.copy(KALOS, copy);
        TraceDatabase.Load load = db.load(copy, AcmeTraceReader.OnError.STOP, CancellationToken.none());
        assertThat(load.releaseNote()).startsWith("trace_kalos.csv differs from the release: 689 bytes (release "
                + "8960159)");
        assertThat(db.load(KALOS, AcmeTraceReader.OnError.STOP, CancellationToken.none()).releaseNote()).isEmpty();
        Path abc = write("abc.txt", "abc");
        assertThat(ReleaseFiles.sha256(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
