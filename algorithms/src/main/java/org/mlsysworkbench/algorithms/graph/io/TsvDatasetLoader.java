package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlsysworkbench.algorithms.graph.EdgeList;
import org.mlsysworkbench.algorithms.graph.GraphBuilder;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;

/**
 * The workbench's TSV form of a Planetoid dataset ({@code shared/data/graph/<name>/derived/}): five files
 * {@code <name>.edges.tsv} (src, dst), {@code .labels.tsv} (node, label), {@code .split.tsv} (node,
 * train|val|test|none), {@code .features.coo.tsv} (node, feature, value; absent pairs are 0) and optionally
 * {@code .features_available.tsv} (node, 0|1). One {@code #} comment line first; the feature file's comment
 * may declare {@code shape N x D}.
 *
 * <p>The node count is the number of label rows; every other id is checked against it. The graph is
 * symmetrised with self-loops and duplicates dropped (a no-op on the shipped files).
 */
public final class TsvDatasetLoader {

    private static final Pattern SHAPE = Pattern.compile("shape\\s+(\\d+)\\s*x\\s*(\\d+)");

    private TsvDatasetLoader() {
    }

    /** Loads {@code dir/<name>.*.tsv}. */
    public static LabelledGraph load(Path dir, String name) throws IOException {
        Path labelsFile = dir.resolve(name + ".labels.tsv");
        int[] count = {0};
        int[] maxNode = {-1};
        TextTable.read(labelsFile, true, (t, f) -> {
            t.requireFields(f, 2, "node, label");
            maxNode[0] = Math.max(maxNode[0], t.nonNegativeInt(f, 0, "node"));
            count[0]++;
        });
        if (count[0] == 0) {
            throw new GraphFormatException(labelsFile.toString(), "empty graph: no label rows");
        }
        int n = maxNode[0] + 1;
        int[] labels = new int[n];
        Arrays.fill(labels, Integer.MIN_VALUE);
        int[] maxLabel = {-1};
        TextTable.read(labelsFile, true, (t, f) -> {
            int v = t.nonNegativeInt(f, 0, "node");
            int y;
            try {
                y = Integer.parseInt(f[1].trim());
            } catch (NumberFormatException e) {
                throw t.error("label '" + f[1].trim() + "' is not an integer");
            }
            if (y < -1) {
                throw t.error("label " + y + " is negative; expected a class >= 0 or -1 for unknown");
            }
            if (labels[v] != Integer.MIN_VALUE) {
                throw t.error("node " + v + " has a second label row");
            }
            labels[v] = y;
            maxLabel[0] = Math.max(maxLabel[0], y);
        });
        for (int v = 0; v < n; v++) {
            if (labels[v] == Integer.MIN_VALUE) {
                throw new GraphFormatException(labelsFile.toString(), "node " + v + " has no label row (ids must be "
                        + "0.." + (n - 1) + ")");
            }
        }

        Path edgesFile = dir.resolve(name + ".edges.tsv");
        EdgeList edges = new EdgeList(1 << 14);
        TextTable.read(edgesFile, true, (t, f) -> {
            t.requireFields(f, 2, "src, dst");
            edges.add(t.nodeId(f, 0, "src", n), t.nodeId(f, 1, "dst", n));
        });
        if (edges.size() == 0) {
            throw new GraphFormatException(edgesFile.toString(), "empty graph: no edge rows");
        }

        Path featFile = dir.resolve(name + ".features.coo.tsv");
        int dim = declaredDim(featFile, n);
        int[] maxFeature = {-1};
        EdgeList coo = new EdgeList(1 << 14);
        float[][] valueHolder = {new float[1 << 14]};
        TextTable.read(featFile, true, (t, f) -> {
            t.requireFields(f, 3, "node, feature, value");
            int v = t.nodeId(f, 0, "node", n);
            int j = dim > 0 ? t.nodeId(f, 1, "feature", dim) : t.nonNegativeInt(f, 1, "feature");
            float x = t.finiteFloat(f, 2, "value");
            if (coo.size() == valueHolder[0].length) {
                valueHolder[0] = Arrays.copyOf(valueHolder[0], valueHolder[0].length * 2);
            }
            valueHolder[0][coo.size()] = x;
            coo.add(v, j);
            maxFeature[0] = Math.max(maxFeature[0], j);
        });
        int d = dim > 0 ? dim : maxFeature[0] + 1;
        if (d <= 0) {
            throw new GraphFormatException(featFile.toString(), "no feature rows and no declared shape");
        }
        float[] features = new float[Math.multiplyExact(n, d)];
        boolean[] hasRow = new boolean[n];
        for (int i = 0; i < coo.size(); i++) {
            features[coo.src(i) * d + coo.dst(i)] = valueHolder[0][i];
            hasRow[coo.src(i)] = true;
        }

        boolean[] available = hasRow;
        Path availFile = dir.resolve(name + ".features_available.tsv");
        if (Files.exists(availFile)) {
            boolean[] a = new boolean[n];
            TextTable.read(availFile, true, (t, f) -> {
                t.requireFields(f, 2, "node, available");
                int v = t.nodeId(f, 0, "node", n);
                String s = f[1].trim();
                if (!s.equals("0") && !s.equals("1")) {
                    throw t.error("available '" + s + "' must be 0 or 1");
                }
                a[v] = s.equals("1");
            });
            available = a;
        }

        Path splitFile = dir.resolve(name + ".split.tsv");
        byte[] split = new byte[n];
        TextTable.read(splitFile, true, (t, f) -> {
            t.requireFields(f, 2, "node, split");
            int v = t.nodeId(f, 0, "node", n);
            String s = f[1].trim();
            split[v] = switch (s) {
                case "train" -> 1;
                case "val" -> 2;
                case "test" -> 3;
                case "none" -> 0;
                default -> throw t.error("split '" + s + "' must be train, val, test or none");
            };
        });
        int numClasses = maxLabel[0] + 1;
        if (numClasses <= 0) {
            throw new GraphFormatException(labelsFile.toString(), "no node has a known label");
        }
        try {
            return new LabelledGraph(name, new GraphBuilder().symmetrise(true).dropSelfLoops(true).build(edges, n),
                    features, d, available, labels, numClasses, ids(split, 1), ids(split, 2), ids(split, 3));
        } catch (IllegalArgumentException e) {
            throw new GraphFormatException(dir.resolve(name + ".*.tsv").toString(), e.getMessage(), e);
        }
    }

    private static int declaredDim(Path featFile, int n) throws IOException {
        if (!Files.exists(featFile)) {
            throw new java.nio.file.NoSuchFileException(featFile.toString());
        }
        String c = TextTable.firstComment(featFile);
        if (c == null) {
            return -1;
        }
        Matcher m = SHAPE.matcher(c);
        if (!m.find()) {
            return -1;
        }
        long rows = Long.parseLong(m.group(1));
        if (rows != n) {
            throw new GraphFormatException(featFile + ":1", "declared shape has " + rows + " rows but the labels "
                    + "file has " + n + " nodes");
        }
        return Integer.parseInt(m.group(2));
    }

    static int[] ids(byte[] split, int which) {
        int c = 0;
        for (byte b : split) {
            if (b == which) {
                c++;
            }
        }
        int[] out = new int[c];
        c = 0;
        for (int v = 0; v < split.length; v++) {
            if (split[v] == which) {
                out[c++] = v;
            }
        }
        return out;
    }
}
