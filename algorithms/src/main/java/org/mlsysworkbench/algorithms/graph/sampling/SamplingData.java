package org.mlsysworkbench.algorithms.graph.sampling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;
import org.mlsysworkbench.algorithms.graph.io.EdgeListReader;
import org.mlsysworkbench.algorithms.graph.io.GnnBenchmarkLoader;
import org.mlsysworkbench.algorithms.graph.io.PlanetoidLoader;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;

/** Loads or generates the graph a {@link SamplingConfig} names. */
public final class SamplingData {

    private SamplingData() {
    }

    /**
     * The dataset of {@code c}. Unlabelled graphs (R-MAT, edge lists) get random Gaussian features of width
     * {@code rmatFeatureDim}, labels -1 and an empty split. File errors become a {@link ConfigException} on
     * {@code dataPath} that carries the loader's file/line message.
     */
    public static LabelledGraph load(SamplingConfig c) {
        try {
            return switch (c.dataset()) {
                case "sbm" -> SbmGenerator.generate(new SbmGenerator.Params(c.sbmNodes(), c.sbmClasses(),
                        c.sbmMeanDegree(), c.sbmHomophily(), 2.2, c.sbmFeatureDim(), c.sbmFeatureNoise(),
                        Math.max(1, Math.min(20, c.sbmNodes() / (4 * c.sbmClasses()))),
                        Math.min(500, c.sbmNodes() / 4), Math.min(1000, c.sbmNodes() / 4)), c.seed());
                case "rmat" -> unlabelled("rmat-" + c.rmatPreset() + "-" + c.rmatScale(),
                        RmatGenerator.generate(rmatParams(c), c.seed()), c);
                case "tsv" -> TsvDatasetLoader.load(resolve(c.dataPath()), c.datasetName());
                case "planetoid" -> PlanetoidLoader.load(resolve(c.dataPath()), c.datasetName());
                case "npz" -> GnnBenchmarkLoader.load(resolve(c.dataPath()), c.seed());
                case "edgelist" -> unlabelled(resolve(c.dataPath()).getFileName().toString(),
                        new EdgeListReader().symmetrise(true).dropSelfLoops(true).read(resolve(c.dataPath())), c);
                default -> throw new ConfigException("dataset", "unknown dataset " + c.dataset());
            };
        } catch (IOException e) {
            String msg = e instanceof java.nio.file.NoSuchFileException ? "file not found: " + e.getMessage()
                    : e.getMessage();
            throw new ConfigException("dataPath", msg, e);
        }
    }

    /**
     * A data path as given when it is absolute or exists relative to the working directory; otherwise resolved
     * against the shared data folder ({@code -Dworkbench.data.dir}, which the launcher and the tests set), so
     * that example configs can say {@code graph/cora/derived}.
     */
    public static Path resolve(String dataPath) {
        Path p = Path.of(dataPath);
        String root = System.getProperty("workbench.data.dir");
        if (p.isAbsolute() || java.nio.file.Files.exists(p) || root == null) {
            return p;
        }
        return Path.of(root).resolve(p);
    }

    static RmatGenerator.Params rmatParams(SamplingConfig c) {
        return switch (c.rmatPreset()) {
            case "reddit" -> RmatGenerator.Params.redditLike(c.rmatScale());
            case "graph500" -> RmatGenerator.Params.graph500(c.rmatScale(), 16);
            default -> RmatGenerator.Params.productsLike(c.rmatScale());
        };
    }

    private static LabelledGraph unlabelled(String name, CsrGraph g, SamplingConfig c) {
        int n = g.numNodes();
        int d = c.rmatFeatureDim();
        float[] x = new float[Math.multiplyExact(n, d)];
        SplittableRandom r = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        boolean[] available = new boolean[n];
        Arrays.fill(available, true);
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        return new LabelledGraph(name, g, x, d, available, labels, 1, new int[0], new int[0], new int[0]);
    }

    /** Each row scaled to sum 1 (rows that sum to 0 stay 0); a new array. */
    public static float[] rowNormalized(float[] x, int dim) {
        float[] out = x.clone();
        for (int r = 0; r < x.length / dim; r++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                s += out[r * dim + c];
            }
            if (s != 0) {
                for (int c = 0; c < dim; c++) {
                    out[r * dim + c] /= (float) s;
                }
            }
        }
        return out;
    }

    /** Rank of each node in a breadth-first order (components in id order, neighbours in row order). */
    public static int[] bfsRank(CsrGraph g) {
        int n = g.numNodes();
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        int[] queue = new int[n];
        int next = 0;
        for (int s = 0; s < n; s++) {
            if (rank[s] >= 0) {
                continue;
            }
            int head = next;
            queue[next] = s;
            rank[s] = next++;
            while (head < next) {
                int v = queue[head++];
                long a = g.rowStart(v);
                for (int k = 0; k < g.degree(v); k++) {
                    int u = g.neighbourAt(a + k);
                    if (rank[u] < 0) {
                        queue[next] = u;
                        rank[u] = next++;
                    }
                }
            }
        }
        return rank;
    }
}
