package org.mlsysworkbench.algorithms.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.testing.TestData;

class PublishedDataTest {

    @Test
    void bundledFilesAreTheDataFoldersBytes() throws Exception {
        try (InputStream a = ClusterSummary.class.getResourceAsStream(ClusterSummary.RESOURCE);
             InputStream b = FigureCurves.class.getResourceAsStream(FigureCurves.RESOURCE)) {
            assertThat(a.readAllBytes()).isEqualTo(Files.readAllBytes(TestData.path("trace/acme/cluster_summary.csv")));
            assertThat(b.readAllBytes()).isEqualTo(
                    Files.readAllBytes(TestData.path("trace/acme/derived/figure_cdf_curves.csv")));
        }
    }

    @Test
    void clusterSummaryParsesToTheLastDigit() {
        Map<String, ClusterSummary> s = ClusterSummary.published();
        assertThat(s.keySet()).containsExactly("Seren", "Kalos", "Philly", "Helios", "PAI");
        // F41: average GPUs per GPU job
        assertThat(s.get("Seren").get(SummaryColumn.AVG_GPU_NUM)).isEqualTo(5.68);
        assertThat(s.get("Kalos").get(SummaryColumn.AVG_GPU_NUM)).isEqualTo(26.77);
        // F42: failed share of GPU jobs
        assertThat(s.get("Seren").get(SummaryColumn.FAIL_RATE_GPU)).isEqualTo(0.429);
        assertThat(s.get("Kalos").get(SummaryColumn.FAIL_RATE_GPU)).isEqualTo(0.397);
        for (String c : new String[] {"Seren", "Kalos", "Philly", "Helios"}) {
            ClusterSummary row = s.get(c);
            assertThat(row.get(SummaryColumn.CPU_JOB_NUM) + row.get(SummaryColumn.GPU_JOB_NUM))
                    .isEqualTo(row.get(SummaryColumn.JOB_NUM));
        }
        assertThat(s.get("PAI").get(SummaryColumn.MED_GPU_NUM)).isEqualTo(0.5);
        assertThat(s.get("PAI").get(SummaryColumn.COMPLETE_RATE_GPU)).isNaN();
        // total GPU time in GPU-hours, as verified in the data folder's README
        long[] hours = {5_975_173, 1_481_439, 1_915_199, 21_666_039};
        String[] clusters = {"Seren", "Kalos", "Philly", "Helios"};
        for (int i = 0; i < 4; i++) {
            ClusterSummary row = s.get(clusters[i]);
            double total = row.get(SummaryColumn.COMPLETE_GPU_TIME) + row.get(SummaryColumn.CANCEL_GPU_TIME)
                    + row.get(SummaryColumn.FAIL_GPU_TIME);
            assertThat(Math.round(total / 3600)).isEqualTo(hours[i]);
        }
    }

    @Test
    void figureCurvesDropTheLegendDuplicatesAndGiveThePublishedMedians() {
        FigureCurves curves = FigureCurves.bundled();
        assertThat(curves.size()).isEqualTo(43);
        // medians interpolated on log2(x), as the data folder's accuracy check lists them (±0.1 s)
        String[] clusters = {"Kalos", "PAI", "Helios", "Philly", "Seren"};
        double[] medians = {124.6, 484.3, 200.8, 852.8, 133.9};
        for (int i = 0; i < clusters.length; i++) {
            assertThat(curves.get("cdf_job_duration_util", "gpu_job_duration", clusters[i]).median())
                    .as(clusters[i]).isCloseTo(medians[i], within(0.1));
        }
        // per-type medians of the sheet's table (Seren Eval 129, Pretrain 297; Kalos Eval 111, Pretrain 707)
        assertThat(curves.get("cdf_job_duration_queue", "duration", "Seren:Evaluation").median())
                .isCloseTo(129.3, within(0.1));
        assertThat(curves.get("cdf_job_duration_queue", "duration", "Kalos:Pretrain").median())
                .isCloseTo(706.5, within(0.1));
        // the legend rows would have made the GPU panel's Seren curve non-monotone in x
        CdfCurve seren = curves.get("cdf_job_jobtime", "gpu_job_duration", "Seren");
        assertThat(seren.x()).hasSize(21).startsWith(1.0).endsWith(1048576.0);
    }

    @Test
    void curveQuantilesInvertTheCdf() {
        CdfCurve c = new CdfCurve(new double[] {1, 10, 100}, new double[] {0.2, 0.6, 1.0});
        assertThat(c.quantile(0.6, 1e9)).isCloseTo(10, within(1e-9));
        assertThat(c.cdfAt(c.quantile(0.8, 1e9))).isCloseTo(0.8, within(1e-12));
        assertThat(c.quantile(0.1, 1e9)).isCloseTo(0.5, within(1e-12));
        assertThat(c.quantile(1.0, 50)).isEqualTo(50);
    }

    @Test
    void utilisationCurvesGiveTheRecomputedMedians() {
        UtilizationCurves u = UtilizationCurves.bundled();
        assertThat(u.size()).isEqualTo(28);
        // medians of the data folder's utilization_stats.json (claim 6: Seren 99 and Kalos 97, labels swapped)
        assertThat(u.get("util_gpu_seren.pkl:GPU_UTIL").quantile(0.5)).isCloseTo(99.0, within(1e-9));
        assertThat(u.get("util_gpu_kalos.pkl:GPU_UTIL_fig2").quantile(0.5)).isCloseTo(97.0, within(1e-9));
        assertThat(u.get("util_gpu_philly.pkl:GPU_UTIL").quantile(0.5)).isCloseTo(48.567, within(0.001));
        assertThat(u.get("util_gpu_pai.pkl:GPU_UTIL").quantile(0.5)).isCloseTo(3.959, within(0.001));
        // PAI's digitised series is cleaned to a non-decreasing CDF
        double[] p = u.get("util_gpu_pai.pkl:GPU_UTIL").cdf();
        for (int i = 1; i < p.length; i++) {
            assertThat(p[i]).isGreaterThanOrEqualTo(p[i - 1]);
        }
    }
}
