package org.mlsysworkbench.algorithms.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * The generator's acceptance check: the statistics engine, run on each preset's generated job rows,
 * recomputes every published summary column within 5 % relative (rates within 2 points), and the per-type
 * duration medians are within 5 % of the figure curves' medians.
 */
class TraceGeneratorTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}: {1} jobs")
    @CsvSource({"SEREN, 150000", "KALOS, 62413", "PHILLY, 60000", "HELIOS, 150000", "PAI, 100000"})
    void generatedTraceRecomputesThePublishedSummaryRow(ClusterPreset preset, int jobs) throws Exception {
        Path csv = tmp.resolve(preset.name() + ".csv");
        TraceGenerator.generate(preset, jobs, new SplittableRandom(7), CancellationToken.none())
                .writeCsv(csv, CancellationToken.none());
        try (TraceDatabase db = TraceDatabase.inMemory(0)) {
            TraceDatabase.Load load = db.load(csv, AcmeTraceReader.OnError.STOP, CancellationToken.none());
            assertThat(load.scan().rows()).isEqualTo(jobs);
            assertThat(load.durationIncludesQueueing()).isEqualTo(preset == ClusterPreset.KALOS);
            ClusterSummary recomputed = TraceStatistics.summary(db, preset.clusterId());
            double scale = jobs / preset.published().get(SummaryColumn.JOB_NUM);
            List<ReproductionRow> rows = ReproductionTable.summaryRows(preset.published(), recomputed, scale);
            // tolerance: ±5 % relative, rates ±2 points (ReproductionTable's AGREE)
            assertThat(rows).allSatisfy(r -> assertThat(r.agreement()).as(r.quantity() + " published " + r.published()
                    + " recomputed " + r.recomputed()).isIn(Agreement.AGREE, Agreement.NOT_AVAILABLE));
            long compared = rows.stream().filter(r -> r.agreement() == Agreement.AGREE).count();
            assertThat(compared).isEqualTo(preset == ClusterPreset.PAI ? 11 : preset == ClusterPreset.PHILLY ? 20 : 27);
            for (ReproductionRow r : TraceExperiment.typeMedians(db, preset)) {
                assertThat(ReproductionTable.relative(r.recomputed(), r.published())).as(r.quantity())
                        .isLessThanOrEqualTo(0.05);
            }
            if (preset == ClusterPreset.SEREN || preset == ClusterPreset.KALOS) {
                // F41 / F42 on the generated rows: 5.68 / 26.77 GPUs (±5 %), 42.9 % / 39.7 % failed (±2 points)
                double gpus = preset == ClusterPreset.SEREN ? 5.68 : 26.77;
                double fail = preset == ClusterPreset.SEREN ? 0.429 : 0.397;
                assertThat(ReproductionTable.relative(recomputed.get(SummaryColumn.AVG_GPU_NUM), gpus))
                        .isLessThanOrEqualTo(0.05);
                assertThat(Math.abs(recomputed.get(SummaryColumn.FAIL_RATE_GPU) - fail)).isLessThanOrEqualTo(0.02);
                assertThat(TraceExperiment.typeMedians(db, preset)).hasSize(preset == ClusterPreset.SEREN ? 6 : 4);
            }
        }
    }

    @Test
    void generationIsDeterministicPerSeed() throws Exception {
        Path a = tmp.resolve("a.csv");
        Path b = tmp.resolve("b.csv");
        Path c = tmp.resolve("c.csv");
        TraceGenerator.generate(ClusterPreset.KALOS, 3000, new SplittableRandom(3), CancellationToken.none())
                .writeCsv(a, CancellationToken.none());
        TraceGenerator.generate(ClusterPreset.KALOS, 3000, new SplittableRandom(3), CancellationToken.none())
                .writeCsv(b, CancellationToken.none());
        TraceGenerator.generate(ClusterPreset.KALOS, 3000, new SplittableRandom(4), CancellationToken.none())
                .writeCsv(c, CancellationToken.none());
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b)).isNotEqualTo(Files.readAllBytes(c));
        List<String> lines = Files.readAllLines(a);
        assertThat(lines.get(0)).isEqualTo(String.join(",", TraceVariant.KALOS_COLUMNS));
        assertThat(lines).hasSize(3001);
        // the Kalos layout: +00:00 timestamps and duration = end - submit
        List<JobRecord> rows = new java.util.ArrayList<>();
        AcmeTraceReader.scan(a, AcmeTraceReader.OnError.STOP, rows::add, CancellationToken.none());
        assertThat(rows).allSatisfy(r -> assertThat(r.durationColumnS()).isEqualTo(r.endS() - r.submitS()));
        assertThat(rows).isSortedAccordingTo(java.util.Comparator.comparingLong(JobRecord::submitS));
        assertThat(lines.get(1)).contains("+00:00");
    }

    @Test
    void serenLayoutUsesChinaStandardTimeAndExecutionDurations() throws Exception {
        Path a = tmp.resolve("s.csv");
        TraceGenerator.generate(ClusterPreset.SEREN, 2000, new SplittableRandom(3), CancellationToken.none())
                .writeCsv(a, CancellationToken.none());
        List<JobRecord> rows = new java.util.ArrayList<>();
        AcmeTraceReader.Scan scan = AcmeTraceReader.scan(a, AcmeTraceReader.OnError.STOP, rows::add,
                CancellationToken.none());
        assertThat(scan.variant()).isEqualTo(TraceVariant.SEREN);
        assertThat(Files.readAllLines(a).get(1)).contains("+08:00");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.durationColumnS()).isEqualTo(r.runtimeS());
            assertThat(r.queueColumnS()).isEqualTo(r.waitS());
            if (r.isGpuJob()) {
                assertThat(r.gpuTimeColumn()).isEqualTo(r.gpuNum() * r.durationColumnS());
            } else {
                assertThat(r.gpuTimeColumn()).isNaN();
                assertThat(r.type()).isEqualTo("CPU");
            }
        });
    }
}
