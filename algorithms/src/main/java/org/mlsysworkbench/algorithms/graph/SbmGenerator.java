package org.mlsysworkbench.algorithms.graph;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.graph.io.Splits;

/**
 * Contextual degree-corrected stochastic block model: a labelled graph whose homophily, degree skew and
 * feature signal are dials, for node classification where real data is absent (spec sheet section 6).
 *
 * <ul>
 *   <li>Classes: node {@code v} gets class {@code y_v} uniformly at random among {@code K}.</li>
 *   <li>Degree propensity {@code theta_v ~ Pareto(alpha)} (minimum 1, capped at {@code sqrt(N)}).</li>
 *   <li>Edges: {@code N * meanDegree / 2} undirected edges. Each picks {@code u} with probability
 *       proportional to {@code theta_u}; with probability {@code h} its partner is drawn the same way from
 *       {@code u}'s class, otherwise from the other classes. The expected edge homophily is therefore
 *       {@code h} (Cora 0.81), and the degree of a node is proportional to its {@code theta}.</li>
 *   <li>Features: {@code x_v = mu_{y_v} + sigma * eps}, with class means {@code mu_k ~ N(0, I)} and
 *       {@code eps ~ N(0, I)}: the signal-to-noise ratio is {@code 1 / sigma}.</li>
 *   <li>Split: {@code trainPerClass} per class, then {@code numVal} and {@code numTest} (Planetoid style).</li>
 * </ul>
 * Deterministic for a seed.
 */
public final class SbmGenerator {

    /**
     * @param numNodes      N >= 2 * numClasses
     * @param numClasses    K >= 2
     * @param meanDegree    target mean degree (before duplicate removal), > 0
     * @param homophily     h in [0, 1], the target fraction of same-class edges
     * @param paretoAlpha   degree-skew exponent, > 1 (2..2.5 mimics citation graphs)
     * @param featureDim    D >= 1
     * @param featureNoise  sigma >= 0
     */
    public record Params(int numNodes, int numClasses, double meanDegree, double homophily, double paretoAlpha,
                         int featureDim, double featureNoise, int trainPerClass, int numVal, int numTest) {

        public Params {
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses: expected >= 2, got " + numClasses);
            }
            if (numNodes < 2 * numClasses) {
                throw new IllegalArgumentException("numNodes: expected >= 2 * numClasses, got " + numNodes);
            }
            if (!(meanDegree > 0) || meanDegree > numNodes - 1) {
                throw new IllegalArgumentException("meanDegree: expected in (0, numNodes - 1], got " + meanDegree);
            }
            if (!(homophily >= 0 && homophily <= 1)) {
                throw new IllegalArgumentException("homophily: expected in [0, 1], got " + homophily);
            }
            if (!(paretoAlpha > 1)) {
                throw new IllegalArgumentException("paretoAlpha: expected > 1, got " + paretoAlpha);
            }
            if (featureDim < 1 || !(featureNoise >= 0)) {
                throw new IllegalArgumentException("featureDim >= 1 and featureNoise >= 0 expected");
            }
            if (trainPerClass < 1 || numVal < 0 || numTest < 1
                    || (long) trainPerClass * numClasses + numVal + numTest > numNodes) {
                throw new IllegalArgumentException("split: expected trainPerClass * K + numVal + numTest <= numNodes");
            }
        }

        /** Cora-sized: 2,708 nodes, 7 classes, mean degree 3.9, homophily 0.81, 20/500/1000 split. */
        public static Params coraLike() {
            return new Params(2708, 7, 3.9, 0.81, 2.2, 64, 2.0, 20, 500, 1000);
        }
    }

    private SbmGenerator() {
    }

    public static LabelledGraph generate(Params p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = p.numNodes();
        int k = p.numClasses();
        int[] labels = new int[n];
        for (int v = 0; v < n; v++) {
            labels[v] = rnd.nextInt(k);
        }
        double cap = Math.sqrt(n);
        double[] theta = new double[n];
        for (int v = 0; v < n; v++) {
            theta[v] = Math.min(cap, Math.pow(1 - rnd.nextDouble(), -1.0 / p.paretoAlpha()));
        }
        // Per-class cumulative propensities for draws within a class, and one over all nodes.
        int[][] members = new int[k][];
        double[][] cum = new double[k][];
        int[] sizes = new int[k];
        for (int y : labels) {
            sizes[y]++;
        }
        for (int c = 0; c < k; c++) {
            members[c] = new int[sizes[c]];
            cum[c] = new double[sizes[c]];
        }
        int[] fill = new int[k];
        for (int v = 0; v < n; v++) {
            int c = labels[v];
            members[c][fill[c]] = v;
            cum[c][fill[c]] = (fill[c] == 0 ? 0 : cum[c][fill[c] - 1]) + theta[v];
            fill[c]++;
        }
        double[] cumAll = new double[n];
        double acc = 0;
        for (int v = 0; v < n; v++) {
            acc += theta[v];
            cumAll[v] = acc;
        }
        long target = Math.round(n * p.meanDegree() / 2);
        EdgeList edges = new EdgeList((int) Math.min(Integer.MAX_VALUE - 8L, target));
        while (edges.size() < target) {
            int u = draw(cumAll, rnd);
            int cu = labels[u];
            int v;
            if (rnd.nextDouble() < p.homophily()) {
                v = members[cu][draw(cum[cu], rnd)];
            } else {
                do {
                    v = draw(cumAll, rnd);
                } while (labels[v] == cu);
            }
            if (u != v) {
                edges.add(u, v);
            }
        }
        CsrGraph g = new GraphBuilder().symmetrise(true).dropSelfLoops(true).build(edges, n);

        int d = p.featureDim();
        float[] mu = new float[k * d];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) gaussian(rnd);
        }
        float[] x = new float[n * d];
        float sigma = (float) p.featureNoise();
        for (int v = 0; v < n; v++) {
            int base = labels[v] * d;
            for (int j = 0; j < d; j++) {
                x[v * d + j] = mu[base + j] + sigma * (float) gaussian(rnd);
            }
        }
        boolean[] available = new boolean[n];
        Arrays.fill(available, true);
        int[][] split = Splits.planetoidStyle(labels, k, p.trainPerClass(), p.numVal(), p.numTest(), rnd.nextLong());
        return new LabelledGraph("sbm-" + n + "-k" + k, g, x, d, available, labels, k, split[0], split[1], split[2]);
    }

    /** Index {@code i} with probability proportional to {@code cum[i] - cum[i - 1]}. */
    private static int draw(double[] cum, SplittableRandom rnd) {
        double r = rnd.nextDouble() * cum[cum.length - 1];
        int i = Arrays.binarySearch(cum, r);
        i = i >= 0 ? i + 1 : -i - 1;
        return Math.min(i, cum.length - 1);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
