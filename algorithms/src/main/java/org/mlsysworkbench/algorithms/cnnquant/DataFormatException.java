package org.mlsysworkbench.algorithms.cnnquant;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data or model file that is not what its reader expects. The message names the file (and the
 * line, for text formats) and what was expected, for example
 * {@code digits.csv.gz:12: expected 65 comma-separated fields, found 64}.
 */
public final class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DataFormatException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
