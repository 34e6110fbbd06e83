package org.mlsysworkbench.algorithms.graph.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * Reads a whitespace- or tab-separated text file line by line, skipping blank lines and comments
 * ({@code #} or {@code %}), and parses fields with errors that name {@code file:line}. Not thread-safe.
 */
final class TextTable implements AutoCloseable {

    /** Receives the fields of one data line. */
    @FunctionalInterface
    interface RowHandler {
        void row(TextTable table, String[] fields) throws GraphFormatException;
    }

    private final Path file;
    private final BufferedReader reader;
    private final boolean tabsOnly;
    private int lineNo;
    private String firstComment;

    private TextTable(Path file, boolean tabsOnly) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        this.file = file;
        this.tabsOnly = tabsOnly;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** Reads every data line of {@code file}; returns the number of data lines. */
    static int read(Path file, boolean tabsOnly, RowHandler handler) throws IOException {
        try (TextTable t = new TextTable(file, tabsOnly)) {
            return t.each(handler);
        }
    }

    /** The first comment line of the file, read with {@link #read}, or null. */
    static String firstComment(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line != null && (line.startsWith("#") || line.startsWith("%")) ? line : null;
        }
    }

    private int each(RowHandler handler) throws IOException {
        int rows = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("%")) {
                if (firstComment == null && !t.isEmpty()) {
                    firstComment = t;
                }
                continue;
            }
            handler.row(this, tabsOnly ? t.split("\t", -1) : t.split("[\\s,]+"));
            rows++;
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** {@code file:line} of the current line. */
    String where() {
        return file + ":" + lineNo;
    }

    GraphFormatException error(String problem) {
        return new GraphFormatException(where(), problem);
    }

    void requireFields(String[] f, int min, String columns) throws GraphFormatException {
        if (f.length < min) {
            throw error("expected " + min + " fields (" + columns + "), got " + f.length);
        }
    }

    /** A non-negative int field. */
    int nonNegativeInt(String[] f, int i, String column) throws GraphFormatException {
        String s = f[i].trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(column + " '" + s + "' is not an integer");
        }
        if (v < 0) {
            throw error(column + " " + v + " is negative; expected a node id >= 0");
        }
        if (v > Integer.MAX_VALUE - 1) {
            throw error(column + " " + v + " exceeds the int32 id range");
        }
        return (int) v;
    }

    /** A node id field in {@code [0, n)}. */
    int nodeId(String[] f, int i, String column, int n) throws GraphFormatException {
        int v = nonNegativeInt(f, i, column);
        if (v >= n) {
            throw error(column + " " + v + " is out of range; expected a node id in [0, " + n + ")");
        }
        return v;
    }

    /** A finite float field. */
    float finiteFloat(String[] f, int i, String column) throws GraphFormatException {
        String s = f[i].trim();
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw error(column + " '" + s + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw error(column + " '" + s + "' is not finite");
        }
        return v;
    }
}
