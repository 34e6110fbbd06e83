package org.mlsysworkbench.algorithms.attention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a checkpoint named in a config. {@code sample:NAME} is a model shipped under {@code samples/attention/}:
 * first the class path (the packaged app), then a {@code samples/attention} folder in the working directory or
 * one of its parents (a source checkout). Anything else is a file path. Stateless.
 */
public final class ModelSource {

    /** Prefix of bundled sample models. */
    public static final String SAMPLE = "sample:";

    private ModelSource() {
    }

    /** Loads the named checkpoint; errors name the path and the field. */
    public static LlamaWeights load(String name) throws CheckpointException {
        if (!name.startsWith(SAMPLE)) {
            return Llama2Checkpoint.load(Path.of(name));
        }
        String file = name.substring(SAMPLE.length());
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.contains("..")) {
            throw new CheckpointException(Path.of(name), "modelPath", "expected sample:FILE with a plain file name");
        }
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ModelSource.class.getClassLoader();
        }
        InputStream in = cl.getResourceAsStream("samples/attention/" + file);
        if (in != null) {
            try (in) {
                return Llama2Checkpoint.load(in, name);
            } catch (IOException e) {
                throw new CheckpointException(Path.of(name), "file", "cannot read: " + e.getMessage());
            }
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 4; up++, dir = dir.getParent()) {
            Path p = dir.resolve("samples").resolve("attention").resolve(file);
            if (Files.isRegularFile(p)) {
                return Llama2Checkpoint.load(p);
            }
        }
        throw new CheckpointException(Path.of(name), "modelPath", "no bundled sample named " + file);
    }
}
