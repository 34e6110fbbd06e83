package org.mlsysworkbench.algorithms.graph.quant;

import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The A2Q bench: GCN or GIN node classification in FP32, with A2Q's learned per-node bits, with uniform k-bit
 * features, and with Degree-Quant, over several seeds; optionally the graph-level Nearest Neighbour Strategy study.
 *
 * @param dataset      "sbm" (a generated Cora-like graph), or a folder holding a Planetoid-format graph
 *                     ({@code <name>.edges.tsv} TSV files, or the raw {@code ind.<name>.*} files); a relative
 *                     folder is resolved against the data folder ({@code -Dworkbench.data.dir})
 * @param seeds        training runs per scheme (seeds seed, seed+1, ...)
 * @param epochs       epochs per run
 * @param targetKb     A2Q's a_storage: the feature-memory target in KB
 * @param aLoss        A2Q's memory-penalty weight
 * @param uniformBits  bitwidths of the uniform baseline (each 1..8)
 * @param degreeQuant  also train Degree-Quant INT4 and INT8
 * @param sweepKb      further A2Q targets for the accuracy-vs-bits curve (seed 0 only); may be empty
 * @param model        "gcn" (A2Q's GCN/Cora row) or "gin" (A2Q's GIN/Cora row), both trained on the tensor engine
 *                     with {@link QuantOps}; absent means "gcn"
 * @param graphLevel   the graph-level NNS study (GIN on generated graph classes, unseen test graphs); null skips it
 */
public record A2qConfig(int schemaVersion, long seed, String dataset, int seeds, int epochs, double targetKb,
                        double aLoss, List<Integer> uniformBits, boolean degreeQuant, List<Double> sweepKb,
                        String model, GraphLevel graphLevel)
        implements ExperimentConfig {

    public static final int SCHEMA = 1;

    /**
     * The graph-level study's settings.
     *
     * @param graphs        generated graphs in all (2/3 train, 1/3 unseen test), 30..5000
     * @param epochs        training epochs, 1..1000
     * @param groups        m, (alpha, b) table entries per quantized layer, 2..2000 (degree buckets need > 100)
     * @param degreeBuckets NNS searches degree buckets instead of the whole table
     * @param targetKb      graph-level a_storage in KB
     * @param aLoss         graph-level penalty weight
     */
    public record GraphLevel(int graphs, int epochs, int groups, boolean degreeBuckets, double targetKb,
                             double aLoss) {

        public static GraphLevel defaults() {
            return new GraphLevel(450, 40, 32, false, 0.1, 1.0);
        }

        void validate() {
            ConfigException.require(graphs >= 30 && graphs <= 5000, "graphLevel.graphs", "30..5000, got " + graphs);
            ConfigException.require(epochs >= 1 && epochs <= 1000, "graphLevel.epochs", "1..1000, got " + epochs);
            ConfigException.require(groups >= 2 && groups <= 2000, "graphLevel.groups", "2..2000, got " + groups);
            ConfigException.require(!degreeBuckets || groups > 100, "graphLevel.groups",
                    "more than 100 groups with degreeBuckets (buckets [0,10), [10,100), [100,m)), got " + groups);
            ConfigException.require(targetKb > 0, "graphLevel.targetKb", "a target > 0 KB, got " + targetKb);
            ConfigException.require(aLoss >= 0, "graphLevel.aLoss", ">= 0, got " + aLoss);
        }
    }

    public A2qConfig {
        uniformBits = uniformBits == null ? List.of() : List.copyOf(uniformBits);
        sweepKb = sweepKb == null ? List.of() : List.copyOf(sweepKb);
        model = model == null ? "gcn" : model;
    }

    public static A2qConfig defaults() {
        return new A2qConfig(SCHEMA, 1, "sbm", 2, 100, 5.0, 2.5, List.of(2, 4), true, List.of(), "gcn",
                new GraphLevel(300, 25, 32, false, 0.1, 1.0));
    }

    /** The network this config trains. */
    public GcnTrainer.Model network() {
        return "gin".equals(model) ? GcnTrainer.Model.GIN : GcnTrainer.Model.GCN;
    }

    @Override
    public A2qConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", SCHEMA + ", got " + schemaVersion);
        ConfigException.require(dataset != null && !dataset.isBlank(), "dataset", "\"sbm\" or a graph folder");
        ConfigException.require(seeds >= 1 && seeds <= 20, "seeds", "1..20, got " + seeds);
        ConfigException.require(epochs >= 1 && epochs <= 5000, "epochs", "1..5000, got " + epochs);
        ConfigException.require(targetKb > 0, "targetKb", "a feature-memory target > 0 KB, got " + targetKb);
        ConfigException.require(aLoss >= 0, "aLoss", ">= 0, got " + aLoss);
        for (int i = 0; i < uniformBits.size(); i++) {
            Integer b = uniformBits.get(i);
            ConfigException.require(b != null && b >= 1 && b <= 8, "uniformBits[" + i + "]",
                    "a bitwidth of at least 1 bit and at most 8, got " + b);
        }
        ConfigException.require("gcn".equals(model) || "gin".equals(model), "model", "\"gcn\" or \"gin\", got \""
                + model + "\"");
        if (graphLevel != null) {
            graphLevel.validate();
        }
        for (int i = 0; i < sweepKb.size(); i++) {
            Double kb = sweepKb.get(i);
            ConfigException.require(kb != null && kb > 0, "sweepKb[" + i + "]", "a target > 0 KB, got " + kb);
        }
        return this;
    }

    /** The hyper-parameters of this config (A2Q's GCN or GIN Cora row otherwise). */
    public GcnHyper hyper() {
        GcnHyper h = network() == GcnTrainer.Model.GIN ? GcnHyper.a2qGinCora() : GcnHyper.a2qCora();
        return new GcnHyper(h.hidden(), epochs, h.lr(), h.weightDecay(), h.dropout(), h.lrBits(), h.lrFeatureAlpha(),
                h.lrWeightAlpha(), h.lrXwAlpha(), aLoss, targetKb, h.weightBits(), h.initBits(), h.uniformBits());
    }
}
