package org.mlsysworkbench.algorithms.core.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes measured figures of the tensor tests to {@code target/tensor-figures/} for people to read. */
final class Figures {

    private Figures() {
    }

    static void write(String file, String text) {
        try {
            Path dir = Path.of("target", "tensor-figures");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
