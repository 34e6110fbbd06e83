package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.EdgeList;
import org.mlsysworkbench.algorithms.graph.GraphBuilder;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * Plain edge lists: one edge per line, {@code src dst} separated by whitespace, tab or comma, extra columns
 * (weights, timestamps) ignored, {@code #} and {@code %} comment lines skipped (SNAP, Matrix Market bodies,
 * DGL's CSV). Ids are either dense ({@code 0..n-1}, checked against a declared node count) or arbitrary
 * non-negative integers remapped to dense ids in order of first appearance (LINQS {@code cora.cites}).
 */
public final class EdgeListReader {

    /** What the ids in the file are. */
    public enum Ids {
        /** Ids are already {@code 0..n-1}. */
        DENSE,
        /** Ids are arbitrary non-negative integers; they are renumbered in first-seen order. */
        REMAP
    }

    private Ids ids = Ids.DENSE;
    private int numNodes = -1;
    private boolean symmetrise;
    private boolean dropSelfLoops;
    private Map<Long, Integer> lastMapping = Map.of();

    public EdgeListReader ids(Ids mode) {
        ids = mode;
        return this;
    }

    /** Declared node count for dense ids; ids at or above it are errors. Default: max id + 1. */
    public EdgeListReader numNodes(int n) {
        numNodes = n;
        return this;
    }

    public EdgeListReader symmetrise(boolean on) {
        symmetrise = on;
        return this;
    }

    public EdgeListReader dropSelfLoops(boolean on) {
        dropSelfLoops = on;
        return this;
    }

    /** Reads the edges of {@code file} (no CSR yet). */
    public EdgeList readEdges(Path file) throws IOException {
        EdgeList edges = new EdgeList(1024);
        Map<Long, Integer> map = new HashMap<>();
        int limit = numNodes >= 0 ? numNodes : Integer.MAX_VALUE - 1;
        TextTable.read(file, false, (t, f) -> {
            t.requireFields(f, 2, "src, dst");
            if (ids == Ids.DENSE) {
                edges.add(t.nodeId(f, 0, "src", limit), t.nodeId(f, 1, "dst", limit));
            } else {
                edges.add(remap(t, f[0], "src", map), remap(t, f[1], "dst", map));
            }
        });
        lastMapping = map;
        return edges;
    }

    private static int remap(TextTable t, String field, String column, Map<Long, Integer> map)
            throws GraphFormatException {
        String s = field.trim();
        int colon = s.lastIndexOf(':');
        String digits = colon >= 0 ? s.substring(colon + 1) : s;
        long id;
        try {
            id = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw t.error(column + " '" + s + "' is not an integer id");
        }
        if (id < 0) {
            throw t.error(column + " " + id + " is negative; expected an id >= 0");
        }
        Integer dense = map.get(id);
        if (dense == null) {
            dense = map.size();
            map.put(id, dense);
        }
        return dense;
    }

    /** Reads {@code file} into a CSR graph; an empty file is an error. */
    public CsrGraph read(Path file) throws IOException {
        EdgeList edges = readEdges(file);
        if (edges.size() == 0) {
            throw new GraphFormatException(file.toString(), "empty graph: no edge lines found");
        }
        int n = ids == Ids.REMAP ? lastMapping.size() : numNodes >= 0 ? numNodes : edges.maxId() + 1;
        return new GraphBuilder().symmetrise(symmetrise).dropSelfLoops(dropSelfLoops).build(edges, n);
    }

    /** Original id -> dense id of the last {@link Ids#REMAP} read. */
    public Map<Long, Integer> lastMapping() {
        return Map.copyOf(lastMapping);
    }
}
