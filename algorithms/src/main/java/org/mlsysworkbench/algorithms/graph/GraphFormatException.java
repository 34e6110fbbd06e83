package org.mlsysworkbench.algorithms.graph;

import java.io.IOException;

/**
 * A graph file that is not what its loader expects: a malformed line, an out-of-range id, a missing or
 * truncated array. The message always starts with {@link #source()}, which names the file and, where it
 * applies, the line ({@code edges.tsv:17}) or the array ({@code cora.npz[adj_indices.npy]}).
 */
public final class GraphFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public GraphFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public GraphFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file, {@code file:line} or {@code file[array]} the message is about. */
    public String source() {
        return source;
    }
}
