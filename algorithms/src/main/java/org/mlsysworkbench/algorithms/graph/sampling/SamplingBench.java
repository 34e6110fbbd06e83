package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/**
 * The sampling bench (FastGL): sampling, ID mapping, feature movement and GraphSAGE / GCN training, phase by
 * phase.
 */
public final class SamplingBench {

    public static final String ID = "sampling";

    private SamplingBench() {
    }

    public static BenchDefinition<SamplingConfig, SamplingResult> definition() {
        return new BenchDefinition<>(ID, "Graph sampling",
                "FastGL: fused ID mapping, match + reorder feature reuse and memory-aware aggregation, "
                        + "with a per-phase epoch breakdown.",
                SamplingConfig.class, SamplingConfig.defaults(), new SamplingExperiment(),
                List.of("default", "smoke", "clustered", "rmat-io", "baseline", "cora", "cora-gcn"));
    }
}
