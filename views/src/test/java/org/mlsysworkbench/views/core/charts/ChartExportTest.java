package org.mlsysworkbench.views.core.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/** F7: a one-million-point series exports to a small SVG, a complete CSV and a 300 DPI PNG. */
class ChartExportTest {

    private static final int POINTS = 1_000_000;
    private static LiveXYChart chart;

    @BeforeAll
    static void millionPoints() {
        chart = ChartKit.standalone().line("loss-1m", "Loss, one million steps", "step", "loss");
        SplittableRandom random = new SplittableRandom(7);
        SeriesBuffer s = chart.series("run-a");
        for (int i = 0; i < POINTS; i++) {
            s.append(i, 1.0 / Math.sqrt(i + 1) + 0.05 * random.nextGaussian());
        }
        chart.setSmoothing(0.9);
    }

    @Test
    void svgOfAMillionPointsIsUnderTwoMegabytes(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("loss.svg");
        chart.exportSvg(svg);
        String text = Files.readString(svg);
        assertThat(text).contains("<svg").endsWith("</svg>\n").contains("Loss, one million steps");
        assertThat(Files.size(svg)).isLessThan(2_000_000L);
        assertThat(text.length()).isGreaterThan(20_000);   // the decimated curves are in it, not an empty plot
    }

    @Test
    void csvHoldsEveryRawPoint(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("loss.csv");
        chart.exportCsv(csv);
        long rows = 0;
        String last = null;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            assertThat(r.readLine()).isEqualTo("series,x,y,y_smoothed");
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows++;
                last = line;
            }
        }
        assertThat(rows).isEqualTo(POINTS);
        SeriesBuffer.Snapshot snap = chart.series("run-a").snapshot();
        assertThat(last).isEqualTo("run-a," + snap.x()[POINTS - 1] + "," + snap.y()[POINTS - 1] + ","
                + snap.smoothed()[POINTS - 1]);
    }

    @Test
    void pngAt300DpiHasTheScaledPixelSizeAndRecordsItsDpi(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("loss.png");
        chart.exportPng(png, 300);
        BufferedImage image = ImageIO.read(png.toFile());
        // 800 x 500 logical pixels at 96 DPI, printed at 300 DPI: 2500 x 1563 pixels
        assertThat(image.getWidth()).isEqualTo(2500);
        assertThat(image.getHeight()).isEqualTo(1563);
        assertThat(pixelsPerMetre(png)).isEqualTo(Math.round(300 / 0.0254));
    }

    @Test
    void exportAllWritesThreeFilesPerChart(@TempDir Path dir) throws Exception {
        ChartKit kit = ChartKit.standalone();
        CategoryBarChart bars = kit.bar("gemm-throughput", "GEMM", "size", "GFLOP/s");
        bars.set("cpu", "256", 12.5);
        bars.set("vulkan", "256", 40.0);
        HeatmapChart heat = kit.heatmap("heads", "Heads", "head", "layer", "alpha");
        heat.setValues(new double[][] {{0, 0.5}, {0.25, 1}});
        HistogramChart hist = kit.histogram("bits", "Bits", "bits", 8);
        hist.setSample("a2q", new double[] {2, 3, 3, 4, 8});
        LiveXYChart cdf = kit.cdf("duration-cdf", "Durations", "seconds");
        cdf.setCdf("kalos", new double[] {3, 1, 2});

        List<Path> files = ChartKit.exportAll(List.of(bars, heat, hist, cdf), dir.resolve("out"), 150);

        assertThat(files).hasSize(12).allSatisfy(f -> assertThat(f).exists().isNotEmptyFile());
        assertThat(Files.readAllLines(dir.resolve("out/gemm-throughput.csv")))
                .containsExactly("series,category,value", "cpu,256,12.5", "vulkan,256,40.0");
        assertThat(Files.readAllLines(dir.resolve("out/heads.csv")))
                .containsExactly("x,y,z", "0,0,0.0", "1,0,0.5", "0,1,0.25", "1,1,1.0");
        assertThat(Files.readAllLines(dir.resolve("out/bits.csv"))).hasSize(6);
        assertThat(Files.readAllLines(dir.resolve("out/duration-cdf.csv")))
                .containsExactly("series,x,y,y_smoothed", "kalos,1.0,0.3333333333333333,0.3333333333333333",
                        "kalos,2.0,0.6666666666666666,0.6666666666666666", "kalos,3.0,1.0,1.0");
    }

    private static long pixelsPerMetre(Path png) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            NodeList phys = root.getElementsByTagName("pHYs");
            return Long.parseLong(((IIOMetadataNode) phys.item(0)).getAttribute("pixelsPerUnitXAxis"));
        }
    }
}
