package org.mlsysworkbench.algorithms.graph.distributed;

import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The distributed-training bench (a Sylvie-style design: one-bit boundary messages with bounded staleness,
 * on a simulated cluster).
 *
 * @param dataset       "sbm" or a Planetoid-format graph folder (see {@code GraphDatasets})
 * @param parts         P, simulated workers
 * @param partitioner   "lp" (balanced label propagation) or "random"
 * @param messageBits   bits per value of boundary messages (1, 2, 4, 8)
 * @param staleness     staleness bounds S to compare (each >= 0), coded and pipelined; FP32 synchronous
 *                      (not pipelined) always runs too
 * @param warmupEpochs  Bounded Staleness Adaptor: synchronous epochs before the bound S applies
 * @param lossRiseFallback Bounded Staleness Adaptor: one synchronous epoch after each rise of the loss
 * @param seeds         training runs per variant
 * @param epochs        epochs per run
 * @param bandwidthGbps simulated link bandwidth
 * @param latencyUs     simulated per-message latency
 * @param scaleNodes    nodes of the generated graph for the time study (0 skips it)
 * @param scaleParts    worker counts of the time study
 * @param scaleHidden   feature and hidden width of the time study
 * @param scaleEpochs   epochs measured per worker count in the time study
 */
public record SylvieConfig(int schemaVersion, long seed, String dataset, int parts, String partitioner,
                           int messageBits, List<Integer> staleness, int warmupEpochs,
                           boolean lossRiseFallback, int seeds, int epochs, double bandwidthGbps,
                           double latencyUs, int scaleNodes, List<Integer> scaleParts, int scaleHidden,
                           int scaleEpochs) implements ExperimentConfig {

    public static final int SCHEMA = 1;

    public SylvieConfig {
        staleness = staleness == null ? List.of() : List.copyOf(staleness);
        scaleParts = scaleParts == null ? List.of() : List.copyOf(scaleParts);
    }

    public static SylvieConfig defaults() {
        return new SylvieConfig(SCHEMA, 1, "sbm", 4, "lp", 1, List.of(1), 0, false, 1, 100, 10, 5, 0, List.of(), 128, 2);
    }

    @Override
    public SylvieConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", SCHEMA + ", got " + schemaVersion);
        ConfigException.require(dataset != null && !dataset.isBlank(), "dataset", "\"sbm\" or a graph folder");
        ConfigException.require(parts >= 1 && parts <= 64, "parts", "1..64 workers, got " + parts);
        ConfigException.require("lp".equals(partitioner) || "random".equals(partitioner), "partitioner",
                "\"lp\" or \"random\", got " + partitioner);
        ConfigException.require(messageBits == 1 || messageBits == 2 || messageBits == 4 || messageBits == 8,
                "messageBits", "1, 2, 4 or 8, got " + messageBits);
        for (int i = 0; i < staleness.size(); i++) {
            Integer s = staleness.get(i);
            ConfigException.require(s != null && s >= 0 && s <= 16, "staleness[" + i + "]", "0..16, got " + s);
        }
        ConfigException.require(warmupEpochs >= 0 && warmupEpochs <= 5000, "warmupEpochs",
                "0..5000 epochs, got " + warmupEpochs);
        ConfigException.require(seeds >= 1 && seeds <= 20, "seeds", "1..20, got " + seeds);
        ConfigException.require(epochs >= 1 && epochs <= 5000, "epochs", "1..5000, got " + epochs);
        ConfigException.require(bandwidthGbps > 0 && bandwidthGbps <= 10_000, "bandwidthGbps",
                "a bandwidth in (0, 10000] Gb/s, got " + bandwidthGbps);
        ConfigException.require(latencyUs >= 0 && latencyUs <= 1e6, "latencyUs", "0..1e6 us, got " + latencyUs);
        ConfigException.require(scaleNodes == 0 || scaleNodes >= 100 && scaleNodes <= 2_000_000, "scaleNodes",
                "0 (skip) or 100..2000000, got " + scaleNodes);
        for (int i = 0; i < scaleParts.size(); i++) {
            Integer p = scaleParts.get(i);
            ConfigException.require(p != null && p >= 1 && p <= 64, "scaleParts[" + i + "]", "1..64, got " + p);
        }
        ConfigException.require(scaleHidden >= 1 && scaleHidden <= 1024, "scaleHidden", "1..1024, got " + scaleHidden);
        ConfigException.require(scaleEpochs >= 1 && scaleEpochs <= 100, "scaleEpochs", "1..100, got " + scaleEpochs);
        return this;
    }

    public NetworkModel network() {
        return new NetworkModel(bandwidthGbps, latencyUs);
    }
}
