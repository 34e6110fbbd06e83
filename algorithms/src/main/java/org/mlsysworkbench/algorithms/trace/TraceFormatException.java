package org.mlsysworkbench.algorithms.trace;

/**
 * A trace file (or a row of it) that is not what the loader expects. The message names the file, the
 * 1-based line, the field and what was expected, e.g.
 * {@code trace_kalos.csv:3: field 'start_time': expected yyyy-MM-dd HH:mm:ss±hh:mm, found '2023-05-17'}.
 */
public final class TraceFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String field;

    public TraceFormatException(String file, long line, String field, String problem) {
        super(file + ":" + line + ": field '" + field + "': " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** The file name as given to the loader. */
    public String file() {
        return file;
    }

    /** The 1-based line number (1 is the header). */
    public long line() {
        return line;
    }

    /** The column name, or {@code header}/{@code row} for problems of the whole line. */
    public String field() {
        return field;
    }
}
