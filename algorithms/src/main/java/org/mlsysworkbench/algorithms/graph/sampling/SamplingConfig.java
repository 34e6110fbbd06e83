package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The sampling bench (FastGL): which graph, how batches are sampled, how features move and how the model
 * trains. Fanouts are listed <b>leaf to root</b> (DGL and GNNLab order): {@code [10, 25]} gives each seed 25
 * neighbours and each of those 10.
 *
 * @param dataset           "sbm" (generated, labelled), "rmat" (generated, unlabelled), "tsv" (the
 *                          workbench's Planetoid TSV folder), "planetoid" (the {@code ind.*} pickles), "npz"
 *                          (gnn-benchmark) or "edgelist" (unlabelled text edge list)
 * @param dataPath          folder (tsv, planetoid) or file (npz, edgelist); empty for generated graphs
 * @param datasetName       file prefix for tsv and planetoid ("cora", "pubmed")
 * @param sbmNodes          SBM node count
 * @param sbmClasses        SBM classes
 * @param sbmMeanDegree     SBM target mean degree
 * @param sbmHomophily      SBM target edge homophily in [0, 1]
 * @param sbmFeatureDim     SBM feature width
 * @param sbmFeatureNoise   SBM feature noise sigma (class means have unit variance)
 * @param rmatPreset        "products", "reddit" or "graph500"
 * @param rmatScale         R-MAT log2 node count, 8..22
 * @param rmatFeatureDim    width of the random features of unlabelled graphs (bytes moved scale with it)
 * @param fanouts           per layer, leaf to root; 1..4096 or -1 for all neighbours
 * @param replace           sample with replacement
 * @param batchSize         seeds per batch
 * @param seedOrder         "random" (shuffled seeds) or "clustered" (BFS-ordered seeds cut into batches whose
 *                          order is then shuffled: the preset where reordering helps)
 * @param idMapping         "fused" (FastGL hash table) or "baseline" (sort-unique-map)
 * @param cacheRatio        fraction of nodes whose features sit in the static cache, [0, 1]
 * @param match             reuse the previous batch's rows
 * @param reorder           greedy reorder of each epoch's batches by overlap
 * @param aggregation       "memory-aware" (transform, then aggregate) or "naive"
 * @param train             train the model (labelled datasets); otherwise sampling and feature movement only
 * @param hidden            hidden width
 * @param epochs            epochs, 1..1000
 * @param learningRate      Adam learning rate
 * @param weightDecay       L2 weight decay
 * @param dropout           dropout probability in [0, 1)
 * @param normalizeFeatures scale each feature row to sum 1 (as GCN preprocessing does for Cora)
 * @param model             "sage" (GraphSAGE, mean aggregator) or "gcn" (DGL's GraphConv on blocks, self-loops
 *                          added, {@link GcnModel}); absent (null) in older documents means "sage"
 * @param gcnNorm           GCN normalisation, DGL's names: "both" (symmetric, 1/sqrt(deg_in deg_out)) or "right"
 *                          (mean, 1/deg_in), with block-local degrees; absent (null) means "both"
 */
public record SamplingConfig(int schemaVersion, long seed, String dataset, String dataPath, String datasetName,
                             int sbmNodes, int sbmClasses, double sbmMeanDegree, double sbmHomophily,
                             int sbmFeatureDim, double sbmFeatureNoise, String rmatPreset, int rmatScale,
                             int rmatFeatureDim, List<Integer> fanouts, boolean replace, int batchSize,
                             String seedOrder, String idMapping, double cacheRatio, boolean match, boolean reorder,
                             String aggregation, boolean train, int hidden, int epochs, double learningRate,
                             double weightDecay, double dropout, boolean normalizeFeatures, String model,
                             String gcnNorm)
        implements ExperimentConfig {

    public static final int SCHEMA = 1;
    static final List<String> DATASETS = List.of("sbm", "rmat", "tsv", "planetoid", "npz", "edgelist");
    static final List<String> MODELS = List.of("sage", "gcn");

    public SamplingConfig {
        fanouts = fanouts == null ? null : Collections.unmodifiableList(new ArrayList<>(fanouts));
        model = model == null ? "sage" : model;
        gcnNorm = gcnNorm == null ? "both" : gcnNorm;
    }

    /** A Cora-sized SBM, GraphSAGE 2 layers, fused map, match and reorder on: a few seconds on 2 cores. */
    public static SamplingConfig defaults() {
        return new SamplingConfig(SCHEMA, 42, "sbm", "", "", 2708, 7, 3.9, 0.81, 64, 2.0, "products", 14, 100,
                List.of(10, 25), false, 64, "random", "fused", 0.1, true, true, "memory-aware", true, 64, 20, 0.01,
                5e-4, 0.5, false, "sage", "both");
    }

    /**
     * Cora's Planetoid split from the workbench TSV folder {@code dir}: the accuracy configuration. Naive
     * aggregation, because with 1,433 input features and small degrees transforming only the destinations is
     * the cheaper order on a CPU (see {@code bench sampling}); the two orders compute the same model.
     */
    public static SamplingConfig cora(String dir) {
        return new SamplingConfig(SCHEMA, 42, "tsv", dir, "cora", 0, 0, 0, 0, 0, 0, "products", 14, 100,
                List.of(10, 10), false, 35, "random", "fused", 0.1, true, true, "naive", true, 64, 30,
                0.01, 5e-4, 0.5, true, "sage", "both");
    }

    /**
     * {@link #cora} with GCN (symmetric normalisation with block-local degrees, self-loops) instead of
     * GraphSAGE: the GCN accuracy configuration.
     */
    public static SamplingConfig coraGcn(String dir) {
        return cora(dir).withModel("gcn", "both");
    }

    /**
     * Feature movement only (no training) on a 20,000-node SBM with clustered seeds: every node is a seed,
     * 256 per batch, so reordering has a window of 79 batches to work with.
     */
    public static SamplingConfig clusteredIo() {
        return new SamplingConfig(SCHEMA, 42, "sbm", "", "", 20_000, 10, 6, 0.85, 64, 2.0, "products", 14, 100,
                List.of(5, 10), false, 256, "clustered", "fused", 0.1, true, true, "memory-aware", false, 64, 2,
                0.01, 5e-4, 0.5, false, "sage", "both");
    }

    /** The fanouts as an array, leaf to root. */
    public int[] fanoutArray() {
        return fanouts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the dataset carries labels and features. */
    public boolean labelled() {
        return !dataset.equals("rmat") && !dataset.equals("edgelist");
    }

    @Override
    public SamplingConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", SCHEMA + ", got " + schemaVersion);
        ConfigException.require(dataset != null && DATASETS.contains(dataset), "dataset", "one of " + DATASETS
                + ", got " + dataset);
        boolean fromFile = !dataset.equals("sbm") && !dataset.equals("rmat");
        ConfigException.require(!fromFile || (dataPath != null && !dataPath.isBlank()), "dataPath",
                "a folder or file for dataset " + dataset);
        ConfigException.require(!(dataset.equals("tsv") || dataset.equals("planetoid"))
                || (datasetName != null && !datasetName.isBlank()), "datasetName", "a file prefix such as cora");
        if (dataset.equals("sbm")) {
            ConfigException.require(sbmClasses >= 2 && sbmClasses <= 1000, "sbmClasses", "2..1000, got " + sbmClasses);
            ConfigException.require(sbmNodes >= 4 * sbmClasses && sbmNodes <= 5_000_000, "sbmNodes",
                    "4 * sbmClasses..5000000, got " + sbmNodes);
            ConfigException.require(sbmMeanDegree > 0 && sbmMeanDegree <= 1000 && sbmMeanDegree < sbmNodes,
                    "sbmMeanDegree", "in (0, 1000], got " + sbmMeanDegree);
            ConfigException.require(sbmHomophily >= 0 && sbmHomophily <= 1, "sbmHomophily", "in [0, 1], got "
                    + sbmHomophily);
            ConfigException.require(sbmFeatureDim >= 1 && sbmFeatureDim <= 4096, "sbmFeatureDim", "1..4096, got "
                    + sbmFeatureDim);
            ConfigException.require(sbmFeatureNoise >= 0 && sbmFeatureNoise <= 100, "sbmFeatureNoise",
                    "0..100, got " + sbmFeatureNoise);
        }
        if (dataset.equals("rmat")) {
            ConfigException.require(List.of("products", "reddit", "graph500").contains(rmatPreset), "rmatPreset",
                    "products, reddit or graph500, got " + rmatPreset);
            ConfigException.require(rmatScale >= 8 && rmatScale <= 22, "rmatScale", "8..22, got " + rmatScale);
        }
        if (!labelled()) {
            ConfigException.require(rmatFeatureDim >= 1 && rmatFeatureDim <= 4096, "rmatFeatureDim",
                    "1..4096, got " + rmatFeatureDim);
            ConfigException.require(!train, "train", "false for the unlabelled dataset " + dataset);
        }
        ConfigException.require(fanouts != null && !fanouts.isEmpty() && fanouts.size() <= 5, "fanouts",
                "1 to 5 layers");
        for (int i = 0; i < fanouts.size(); i++) {
            Integer f = fanouts.get(i);
            ConfigException.require(f != null && (f == -1 || (f >= 1 && f <= NeighbourSampler.MAX_FANOUT)),
                    "fanouts[" + i + "]", "1.." + NeighbourSampler.MAX_FANOUT + " or -1 (all neighbours), got " + f);
        }
        ConfigException.require(batchSize >= 1 && batchSize <= 1_000_000, "batchSize", "1..1000000, got "
                + batchSize);
        ConfigException.require("random".equals(seedOrder) || "clustered".equals(seedOrder), "seedOrder",
                "random or clustered, got " + seedOrder);
        ConfigException.require("fused".equals(idMapping) || "baseline".equals(idMapping), "idMapping",
                "fused or baseline, got " + idMapping);
        ConfigException.require(cacheRatio >= 0 && cacheRatio <= 1, "cacheRatio", "in [0, 1], got " + cacheRatio);
        ConfigException.require("memory-aware".equals(aggregation) || "naive".equals(aggregation), "aggregation",
                "memory-aware or naive, got " + aggregation);
        ConfigException.require(MODELS.contains(model), "model", "sage or gcn, got " + model);
        ConfigException.require("both".equals(gcnNorm) || "right".equals(gcnNorm), "gcnNorm",
                "both (symmetric) or right (mean), got " + gcnNorm);
        ConfigException.require(hidden >= 1 && hidden <= 4096, "hidden", "1..4096, got " + hidden);
        ConfigException.require(epochs >= 1 && epochs <= 1000, "epochs", "1..1000, got " + epochs);
        ConfigException.require(learningRate > 0 && learningRate <= 10, "learningRate", "in (0, 10], got "
                + learningRate);
        ConfigException.require(weightDecay >= 0 && weightDecay <= 1, "weightDecay", "in [0, 1], got "
                + weightDecay);
        ConfigException.require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1), got " + dropout);
        return this;
    }

    /** A copy with other feature-movement switches (the GUI's toggles). */
    public SamplingConfig withMovement(double newCacheRatio, boolean newMatch, boolean newReorder) {
        return new SamplingConfig(schemaVersion, seed, dataset, dataPath, datasetName, sbmNodes, sbmClasses,
                sbmMeanDegree, sbmHomophily, sbmFeatureDim, sbmFeatureNoise, rmatPreset, rmatScale, rmatFeatureDim,
                fanouts, replace, batchSize, seedOrder, idMapping, newCacheRatio, newMatch, newReorder, aggregation,
                train, hidden, epochs, learningRate, weightDecay, dropout, normalizeFeatures, model, gcnNorm);
    }

    /** A copy with another seed, seed order and epoch count. */
    public SamplingConfig withRun(long newSeed, String newSeedOrder, int newEpochs) {
        return new SamplingConfig(schemaVersion, newSeed, dataset, dataPath, datasetName, sbmNodes, sbmClasses,
                sbmMeanDegree, sbmHomophily, sbmFeatureDim, sbmFeatureNoise, rmatPreset, rmatScale, rmatFeatureDim,
                fanouts, replace, batchSize, newSeedOrder, idMapping, cacheRatio, match, reorder, aggregation,
                train, hidden, newEpochs, learningRate, weightDecay, dropout, normalizeFeatures, model, gcnNorm);
    }

    /** A copy that trains another model ("sage" or "gcn") with the given GCN normalisation. */
    public SamplingConfig withModel(String newModel, String newGcnNorm) {
        return new SamplingConfig(schemaVersion, seed, dataset, dataPath, datasetName, sbmNodes, sbmClasses,
                sbmMeanDegree, sbmHomophily, sbmFeatureDim, sbmFeatureNoise, rmatPreset, rmatScale, rmatFeatureDim,
                fanouts, replace, batchSize, seedOrder, idMapping, cacheRatio, match, reorder, aggregation,
                train, hidden, epochs, learningRate, weightDecay, dropout, normalizeFeatures, newModel, newGcnNorm);
    }

    /** A copy with other kernel strategies. */
    public SamplingConfig withStrategies(String newIdMapping, String newAggregation) {
        return new SamplingConfig(schemaVersion, seed, dataset, dataPath, datasetName, sbmNodes, sbmClasses,
                sbmMeanDegree, sbmHomophily, sbmFeatureDim, sbmFeatureNoise, rmatPreset, rmatScale, rmatFeatureDim,
                fanouts, replace, batchSize, seedOrder, newIdMapping, cacheRatio, match, reorder, newAggregation,
                train, hidden, epochs, learningRate, weightDecay, dropout, normalizeFeatures, model, gcnNorm);
    }
}
