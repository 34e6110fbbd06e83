package org.mlsysworkbench.algorithms.graph;

/**
 * A graph with node features, class labels and a train/validation/test split: what node classification
 * trains on (Cora, PubMed, the stochastic block model).
 *
 * <p>Features are dense float32, row-major: node {@code v}'s row is {@code features[v * featureDim ..
 * (v + 1) * featureDim)}. Nodes whose real row is missing (most PubMed nodes) have a zero row and
 * {@code featureAvailable[v] == false}. Labels are in {@code [0, numClasses)}, or -1 for unknown. The split
 * is three disjoint ascending arrays of node ids. Immutable by convention: accessors return the arrays
 * without copying, and callers must not modify them. Construction validates everything and throws
 * {@link IllegalArgumentException} naming the field.
 */
public final class LabelledGraph {

    private final String name;
    private final CsrGraph graph;
    private final float[] features;
    private final int featureDim;
    private final boolean[] featureAvailable;
    private final int[] labels;
    private final int numClasses;
    private final int[] train;
    private final int[] val;
    private final int[] test;

    public LabelledGraph(String name, CsrGraph graph, float[] features, int featureDim, boolean[] featureAvailable,
                         int[] labels, int numClasses, int[] train, int[] val, int[] test) {
        int n = graph.numNodes();
        require(n > 0, "graph", "at least one node");
        require(featureDim > 0, "featureDim", "> 0, got " + featureDim);
        require(features.length == (long) n * featureDim, "features",
                "numNodes * featureDim = " + ((long) n * featureDim) + " values, got " + features.length);
        require(featureAvailable.length == n, "featureAvailable", n + " entries, got " + featureAvailable.length);
        require(labels.length == n, "labels", n + " entries, got " + labels.length);
        require(numClasses > 0, "numClasses", "> 0, got " + numClasses);
        for (int v = 0; v < n; v++) {
            require(labels[v] >= -1 && labels[v] < numClasses, "labels[" + v + "]",
                    "a class in [0, " + numClasses + ") or -1, got " + labels[v]);
        }
        boolean[] used = new boolean[n];
        checkSplit("train", train, n, used, labels);
        checkSplit("val", val, n, used, labels);
        checkSplit("test", test, n, used, labels);
        this.name = name;
        this.graph = graph;
        this.features = features;
        this.featureDim = featureDim;
        this.featureAvailable = featureAvailable;
        this.labels = labels;
        this.numClasses = numClasses;
        this.train = train;
        this.val = val;
        this.test = test;
    }

    private static void checkSplit(String field, int[] ids, int n, boolean[] used, int[] labels) {
        for (int i = 0; i < ids.length; i++) {
            int v = ids[i];
            require(v >= 0 && v < n, field + "[" + i + "]", "a node id in [0, " + n + "), got " + v);
            require(!used[v], field + "[" + i + "]", "node " + v + " in only one split");
            require(i == 0 || ids[i - 1] < v, field, "ascending node ids");
            require(labels[v] >= 0, field + "[" + i + "]", "a labelled node, node " + v + " has label -1");
            used[v] = true;
        }
    }

    private static void require(boolean ok, String field, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected);
        }
    }

    public String name() {
        return name;
    }

    public CsrGraph graph() {
        return graph;
    }

    public int numNodes() {
        return graph.numNodes();
    }

    /** Row-major {@code float[numNodes * featureDim]}; not a copy. */
    public float[] features() {
        return features;
    }

    public int featureDim() {
        return featureDim;
    }

    /** Whether node {@code v} has a real feature row (false for PubMed's missing rows). */
    public boolean featureAvailable(int v) {
        return featureAvailable[v];
    }

    /** Labels in {@code [0, numClasses)} or -1; not a copy. */
    public int[] labels() {
        return labels;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Training node ids, ascending; not a copy. */
    public int[] train() {
        return train;
    }

    public int[] val() {
        return val;
    }

    public int[] test() {
        return test;
    }

    /** {@code mask[v]} is true for the nodes of {@code split} ("train", "val" or "test"). */
    public boolean[] mask(String split) {
        int[] ids = switch (split) {
            case "train" -> train;
            case "val" -> val;
            case "test" -> test;
            default -> throw new IllegalArgumentException("split: expected train, val or test, got " + split);
        };
        boolean[] m = new boolean[numNodes()];
        for (int v : ids) {
            m[v] = true;
        }
        return m;
    }

    /** Fraction of stored edges whose endpoints share a known label (Cora 0.810, PubMed 0.802). */
    public double edgeHomophily() {
        long same = 0;
        long total = 0;
        for (int v = 0; v < numNodes(); v++) {
            long s = graph.rowStart(v);
            for (int k = 0; k < graph.degree(v); k++) {
                int u = graph.neighbourAt(s + k);
                if (labels[u] >= 0 && labels[v] >= 0) {
                    total++;
                    if (labels[u] == labels[v]) {
                        same++;
                    }
                }
            }
        }
        return total == 0 ? 0 : (double) same / total;
    }

    /** Nodes per class. */
    public int[] classCounts() {
        int[] c = new int[numClasses];
        for (int y : labels) {
            if (y >= 0) {
                c[y]++;
            }
        }
        return c;
    }

    /** Same data with another graph (for example a symmetrised one); the node count must match. */
    public LabelledGraph withGraph(CsrGraph g) {
        return new LabelledGraph(name, g, features, featureDim, featureAvailable, labels, numClasses, train, val,
                test);
    }

    @Override
    public String toString() {
        return name + " [" + numNodes() + " nodes, " + graph.numEdges() + " edges, " + featureDim + " features, "
                + numClasses + " classes, split " + train.length + "/" + val.length + "/" + test.length + "]";
    }
}
