package org.mlsysworkbench.algorithms.attention;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that is not a usable llama2.c checkpoint: truncated, another format, or a header with
 * impossible dimensions. The message names the file and the header field or tensor that is wrong.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;

    public CheckpointException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }

    /** The header field (for example {@code n_heads}) or tensor (for example {@code wq}) at fault. */
    public String field() {
        return field;
    }
}
