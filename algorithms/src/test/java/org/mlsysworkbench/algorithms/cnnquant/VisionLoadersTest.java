package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.testing.TestData;

class VisionLoadersTest {

    @TempDir
    Path tmp;

    @Test
    void mnistTestSetMatchesTheReadme() throws IOException {
        Path dir = TestData.path("vision/mnist-test-idx");
        ImageSet set = IdxReader.readImageSet("mnist", dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), DigitsCsvReader.DIGIT_CLASSES);
        assertThat(set.count()).isEqualTo(10_000);
        assertThat(set.height()).isEqualTo(28);
        assertThat(set.classHistogram()).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
        assertThat(java.util.Arrays.copyOf(set.labels(), 10)).containsExactly(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
        // README: the sum of all pixels is 264,923,200 (0..255 scale); pixels are stored / 255
        double sum = 0;
        for (float p : set.pixels()) {
            sum += Math.round(p * 255);
        }
        assertThat(sum).isEqualTo(264_923_200.0);
    }

    @Test
    void rawIdxReadsLikeGzip() throws IOException {
        Path f = tmp.resolve("raw-labels-idx1-ubyte");
        IdxReader.write(f, IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 9});
        IdxReader.IdxArray a = IdxReader.read(f, IdxReader.LABELS_MAGIC);
        assertThat(a.dims()).containsExactly(3);
        assertThat(a.data()).containsExactly(1, 2, 9);
    }

    @Test
    void wrongMagicNamesFileAndExpectation() throws IOException {
        Path f = tmp.resolve("images.idx");
        IdxReader.write(f, 0x0804, new int[] {1, 2, 2, 1}, new byte[4]);
        assertThatThrownBy(() -> IdxReader.read(f, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("expected IDX magic number 0x00000803");
    }

    @Test
    void truncatedDataNamesFileAndByteCounts() throws IOException {
        Path full = tmp.resolve("full.idx");
        IdxReader.write(full, IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[8]);
        byte[] bytes = Files.readAllBytes(full);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(bytes, 0, bytes.length - 3);
        }
        Path f = tmp.resolve("short-images-idx3-ubyte.gz");
        Files.write(f, bo.toByteArray());
        assertThatThrownBy(() -> IdxReader.read(f, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("truncated: expected 8 data bytes after the header, found 5");
    }

    @Test
    void digitsCsvMatchesTheReadme() throws IOException {
        ImageSet d = DigitsCsvReader.read(TestData.path("vision/sklearn-digits/digits.csv.gz"));
        assertThat(d.count()).isEqualTo(1797);
        assertThat(d.classHistogram()).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        assertThat(d.labels()[0]).isZero();
        assertThat(d.pixels()[2] * 16).isEqualTo(5f);
        assertThat(d.pixels()[3] * 16).isEqualTo(13f);
    }

    @Test
    void digitsRowOfWrongWidthNamesFileAndLine() throws IOException {
        String good = "0,".repeat(64) + "3\n";
        Path f = tmp.resolve("digits.csv");
        Files.writeString(f, good + good + "0,".repeat(63) + "3\n");
        assertThatThrownBy(() -> DigitsCsvReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ":3: expected 65 comma-separated fields (64 pixels and a label), found 64");
    }

    @Test
    void fashionMnistFromTheDebianPackage() throws IOException {
        Path dir = TestData.optional(VisionDatasets.DEBIAN_FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz"))
                .getParent();
        VisionDatasets.Split s = VisionDatasets.load(VisionDatasets.Kind.FASHION_MNIST, dir, TestData.root(), 0, 0);
        assertThat(s.train().count()).isEqualTo(60_000);
        assertThat(s.test().count()).isEqualTo(10_000);
        // Fashion-MNIST is balanced: 1,000 test images per class
        assertThat(s.test().classHistogram()).containsOnly(1000);
        assertThat(s.test().classNames()).hasSize(10).contains("Ankle boot");
    }

    @Test
    void digitsFallBackToTheBundledCopy() throws IOException {
        VisionDatasets.Split d = VisionDatasets.load(VisionDatasets.Kind.DIGITS, Path.of("/nonexistent"),
                tmp, 0, 0);
        assertThat(d.train().count() + d.test().count()).isEqualTo(1797);
        assertThat(d.train().name()).startsWith("digits (bundled)");
    }

    @Test
    void mnistAndDigitsSplits() throws IOException {
        VisionDatasets.Split m = VisionDatasets.load(VisionDatasets.Kind.MNIST, Path.of("/nonexistent"),
                TestData.root(), 0, 0);
        assertThat(List.of(m.train().count(), m.test().count())).containsExactly(8000, 2000);
        VisionDatasets.Split d = VisionDatasets.load(VisionDatasets.Kind.DIGITS, Path.of("/nonexistent"),
                TestData.root(), 0, 0);
        assertThat(List.of(d.train().count(), d.test().count())).containsExactly(1437, 360);
    }

    @Test
    void proceduralDigitsAreDeterministicAndLearnable() throws IOException {
        VisionDatasets.Split d = VisionDatasets.load(VisionDatasets.Kind.PROCEDURAL, Path.of("/nonexistent"),
                Path.of("/nonexistent"), 0, 0);
        assertThat(d.train().count()).isEqualTo(VisionDatasets.PROCEDURAL_TRAIN);
        assertThat(d.test().height()).isEqualTo(16);
        assertThat(ProceduralDigits.generate("a", 20, 16, 7).pixels())
                .containsExactly(ProceduralDigits.generate("b", 20, 16, 7).pixels());
        float min = 1;
        float max = 0;
        for (float v : d.train().pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(0f);
        assertThat(max).isLessThanOrEqualTo(1f);
        // the glyphs are distinct: nearest class mean classifies the test set far above chance (10 %)
        int sz = 256;
        double[][] mean = new double[10][sz];
        int[] n = new int[10];
        for (int i = 0; i < d.train().count(); i++) {
            int y = d.train().labels()[i];
            n[y]++;
            for (int q = 0; q < sz; q++) {
                mean[y][q] += d.train().pixels()[i * sz + q];
            }
        }
        int correct = 0;
        for (int i = 0; i < d.test().count(); i++) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int q = 0; q < sz; q++) {
                    double e = d.test().pixels()[i * sz + q] - mean[c][q] / n[c];
                    dist += e * e;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = c;
                }
            }
            correct += best == d.test().labels()[i] ? 1 : 0;
        }
        assertThat(correct / (double) d.test().count()).as("nearest-mean accuracy").isGreaterThan(0.5);
    }
}
