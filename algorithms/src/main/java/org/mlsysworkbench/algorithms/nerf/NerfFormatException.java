package org.mlsysworkbench.algorithms.nerf;

import java.io.IOException;

/**
 * A NeRF input file (transforms.json, PNG, npz, checkpoint) that is not what the loader expects.
 * The message names the file and the field; {@link #file()} and {@link #field()} give them separately.
 */
public final class NerfFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public NerfFormatException(String file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public NerfFormatException(String file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
