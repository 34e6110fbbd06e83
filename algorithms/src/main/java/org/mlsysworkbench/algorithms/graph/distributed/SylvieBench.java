package org.mlsysworkbench.algorithms.graph.distributed;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The distributed-training bench: one-bit boundary messages with bounded staleness on a simulated cluster. */
public final class SylvieBench {

    public static final String ID = "sylvie";

    private SylvieBench() {
    }

    public static BenchDefinition<SylvieConfig, SylvieResult> definition() {
        return new BenchDefinition<>(ID, "Distributed GNN (Sylvie-style)",
                "Full-graph GCN on simulated workers: one-bit boundary messages, bounded staleness, modelled link.",
                SylvieConfig.class, SylvieConfig.defaults(), new SylvieExperiment(),
                List.of("default", "cora", "scale", "smoke"));
    }
}
