package org.mlsysworkbench.algorithms.cnnquant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and loads the image sets the bench can use: Fashion-MNIST from Debian's
 * {@code dataset-fashion-mnist} package (60,000 train / 10,000 test), the MNIST test set in the shared data
 * folder (split 8,000 train / 2,000 test), and the 8x8 digits CSV (split 1,437 / 360).
 */
public final class VisionDatasets {

    /** Where Debian's {@code dataset-fashion-mnist} installs its four files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The data sets the bench knows. */
    public enum Kind {
        FASHION_MNIST, MNIST, DIGITS,
        /** {@link ProceduralDigits}: needs no file at all. */
        PROCEDURAL
    }

    /** Training / test images of the procedural set (16x16), each from its own fixed seed. */
    public static final int PROCEDURAL_TRAIN = 3000;
    public static final int PROCEDURAL_TEST = 600;

    /** A train and a test set of one data set. */
    public record Split(ImageSet train, ImageSet test) {
    }

    private VisionDatasets() {
    }

    /** The shared data root: {@code -Dworkbench.data.dir}, else {@code ../shared/data}. */
    public static Path defaultDataDir() {
        String p = System.getProperty("workbench.data.dir");
        return p != null ? Path.of(p) : Path.of("..", "shared", "data");
    }

    /** The copy of the digits CSV shipped inside the jar (see digits-NOTICE.txt beside it). */
    static ImageSet bundledDigits() throws IOException {
        try (var in = VisionDatasets.class.getResourceAsStream("digits.csv.gz")) {
            if (in == null) {
                throw new IOException("the bundled digits.csv.gz is missing from the class path");
            }
            Path tmp = Files.createTempFile("digits", ".csv.gz");
            try {
                Files.write(tmp, in.readAllBytes());
                ImageSet s = DigitsCsvReader.read(tmp);
                return new ImageSet("digits (bundled)", s.count(), s.height(), s.width(), s.pixels(), s.labels(),
                        s.classNames());
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** True when the four Fashion-MNIST files are present in {@code dir}. */
    public static boolean fashionMnistPresent(Path dir) {
        return Files.exists(dir.resolve("train-images-idx3-ubyte.gz")) && Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /**
     * Loads a data set.
     *
     * @param fashionDir folder with Fashion-MNIST's {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}
     * @param dataDir    the shared data root ({@code vision/mnist-test-idx}, {@code vision/sklearn-digits})
     * @param trainLimit at most this many training images (the first ones); {@code <= 0} for all
     * @param testLimit  at most this many test images; {@code <= 0} for all
     */
    public static Split load(Kind kind, Path fashionDir, Path dataDir, int trainLimit, int testLimit)
            throws IOException {
        Split s = switch (kind) {
            case FASHION_MNIST -> new Split(
                    IdxReader.readImageSet("fashion-mnist train", fashionDir.resolve("train-images-idx3-ubyte.gz"),
                            fashionDir.resolve("train-labels-idx1-ubyte.gz"), FASHION_CLASSES),
                    IdxReader.readImageSet("fashion-mnist test", fashionDir.resolve("t10k-images-idx3-ubyte.gz"),
                            fashionDir.resolve("t10k-labels-idx1-ubyte.gz"), FASHION_CLASSES));
            case MNIST -> {
                Path dir = dataDir.resolve("vision/mnist-test-idx");
                ImageSet all = IdxReader.readImageSet("mnist test", dir.resolve("t10k-images-idx3-ubyte.gz"),
                        dir.resolve("t10k-labels-idx1-ubyte.gz"), DigitsCsvReader.DIGIT_CLASSES);
                yield new Split(all.slice(0, 8000), all.slice(8000, all.count()));
            }
            case DIGITS -> {
                Path csv = dataDir.resolve("vision/sklearn-digits/digits.csv.gz");
                ImageSet all = Files.exists(csv) ? DigitsCsvReader.read(csv) : bundledDigits();
                int cut = all.count() * 4 / 5;
                yield new Split(all.slice(0, cut), all.slice(cut, all.count()));
            }
            case PROCEDURAL -> new Split(
                    ProceduralDigits.generate("procedural digits train", PROCEDURAL_TRAIN, 16, 2024),
                    ProceduralDigits.generate("procedural digits test", PROCEDURAL_TEST, 16, 2025));
        };
        return new Split(trainLimit > 0 ? s.train().head(trainLimit) : s.train(),
                testLimit > 0 ? s.test().head(testLimit) : s.test());
    }
}
