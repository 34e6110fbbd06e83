package org.mlsysworkbench.algorithms.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared data sets of {@code ../shared/data/} (surefire sets {@code workbench.data.dir}).
 * Ships in the algorithms test-jar for every module's tests.
 */
public final class TestData {

    private TestData() {
    }

    public static Path root() {
        String dir = System.getProperty("workbench.data.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "shared", "data");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "..", "shared", "data");
        }
        return p.toAbsolutePath().normalize();
    }

    /** A file under the data root; fails the test when missing (the shared data always travels with CI). */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("missing shared data file " + p + " (set -Dworkbench.data.dir)");
        }
        return p;
    }

    /** A file that may be absent (for example Debian's Fashion-MNIST): the test is skipped without it. */
    public static Path optional(Path p) {
        Assumptions.assumeTrue(Files.exists(p), () -> "optional data not installed: " + p);
        return p;
    }
}
