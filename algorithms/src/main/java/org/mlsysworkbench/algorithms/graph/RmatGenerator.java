package org.mlsysworkbench.algorithms.graph;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Recursive-matrix (R-MAT, Graph500) graph generator: {@code N = 2^scale} nodes and
 * {@code M = round(edgeFactor * N)} drawn edges. Each edge descends {@code scale} levels of the adjacency
 * matrix; at each level the quadrant is chosen with probabilities (a, b, c, d), by the Graph500 rule
 * {@code ii = rand > a + b; jj = rand > (ii ? c / (c + d) : a / (a + b))}. Vertex ids are then permuted at
 * random (so degree does not follow id), and the builder symmetrises and drops self-loops and duplicates,
 * so the stored edge count is somewhat below {@code 2 * M}.
 *
 * <p>Deterministic for a seed whatever the thread count: edges are drawn in fixed-size chunks, each from its
 * own split of the seed, in parallel on the common fork-join pool. Memory: 8 bytes per drawn edge plus the
 * CSR build ({@link GraphBuilder}); scale 21 with edge factor 24 (2.1M nodes, 50M edges) peaks near 1.6 GB.
 */
public final class RmatGenerator {

    /**
     * R-MAT parameters. {@code a + b + c + d} must be 1.
     *
     * @param scale       log2 of the node count, 1..30
     * @param edgeFactor  drawn edges per node (before symmetrising and deduplication)
     * @param permute     shuffle vertex ids after drawing
     */
    public record Params(int scale, double edgeFactor, double a, double b, double c, double d, boolean permute) {

        public Params {
            if (scale < 1 || scale > 30) {
                throw new IllegalArgumentException("scale: expected 1..30, got " + scale);
            }
            if (!(edgeFactor > 0) || edgeFactor * (1L << scale) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("edgeFactor: expected > 0 with edgeFactor * 2^scale < 2^31, got "
                        + edgeFactor);
            }
            if (a < 0 || b < 0 || c < 0 || d < 0 || Math.abs(a + b + c + d - 1) > 1e-9) {
                throw new IllegalArgumentException("a, b, c, d: expected non-negative and summing to 1, got "
                        + a + ", " + b + ", " + c + ", " + d);
            }
        }

        public int numNodes() {
            return 1 << scale;
        }

        public int drawnEdges() {
            return (int) Math.round(edgeFactor * numNodes());
        }

        /** Graph500 initiator (0.57, 0.19, 0.19, 0.05). */
        public static Params graph500(int scale, double edgeFactor) {
            return new Params(scale, edgeFactor, 0.57, 0.19, 0.19, 0.05, true);
        }

        /**
         * Mimics ogbn-products (2.4M nodes, average degree ~50): edge factor 26 with the flatter initiator
         * (0.45, 0.22, 0.22, 0.11), which leaves about 2% isolated nodes instead of Graph500's 23%. The spec
         * sheet's presets use scale 16..18.
         */
        public static Params productsLike(int scale) {
            return new Params(scale, 26, 0.45, 0.22, 0.22, 0.11, true);
        }

        /** Mimics Reddit (233K nodes, average degree 492): Graph500 initiator, edge factor 700; scale 13..15. */
        public static Params redditLike(int scale) {
            return graph500(scale, 700);
        }

        /** The Graph500 smoke-test size: scale 14, edge factor 16. */
        public static Params smoke() {
            return graph500(14, 16);
        }
    }

    /** Feature width and class count that go with the presets (ogbn-products 100 / 47, Reddit 602 / 41). */
    public static final int PRODUCTS_FEATURES = 100;
    public static final int PRODUCTS_CLASSES = 47;
    public static final int REDDIT_FEATURES = 602;
    public static final int REDDIT_CLASSES = 41;

    private static final int CHUNK = 1 << 18;

    private RmatGenerator() {
    }

    /** Draws the directed edge list (ids permuted when asked), before any symmetrising. */
    public static EdgeList edges(Params p, long seed) {
        int m = p.drawnEdges();
        int[] src = new int[m];
        int[] dst = new int[m];
        int chunks = (m + CHUNK - 1) / CHUNK;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[chunks];
        for (int i = 0; i < chunks; i++) {
            streams[i] = root.split();
        }
        int[] perm = p.permute() ? permutation(p.numNodes(), root.split()) : null;
        double ab = p.a() + p.b();
        double cNorm = p.c() + p.d() == 0 ? 0 : p.c() / (p.c() + p.d());
        double aNorm = ab == 0 ? 0 : p.a() / ab;
        int scale = p.scale();
        IntStream.range(0, chunks).parallel().forEach(ci -> {
            SplittableRandom rnd = streams[ci];
            int end = Math.min(m, (ci + 1) * CHUNK);
            for (int e = ci * CHUNK; e < end; e++) {
                int u = 0;
                int v = 0;
                for (int bit = scale - 1; bit >= 0; bit--) {
                    boolean ii = rnd.nextDouble() > ab;
                    boolean jj = rnd.nextDouble() > (ii ? cNorm : aNorm);
                    u |= (ii ? 1 : 0) << bit;
                    v |= (jj ? 1 : 0) << bit;
                }
                src[e] = perm == null ? u : perm[u];
                dst[e] = perm == null ? v : perm[v];
            }
        });
        return EdgeList.wrap(src, dst, m);
    }

    /** Draws the edges and builds the undirected graph (symmetrised, no self-loops or duplicates). */
    public static CsrGraph generate(Params p, long seed) {
        EdgeList e = edges(p, seed);
        CsrGraph g = new GraphBuilder().symmetrise(true).dropSelfLoops(true).build(e, p.numNodes());
        e.clear();
        return g;
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }
}
