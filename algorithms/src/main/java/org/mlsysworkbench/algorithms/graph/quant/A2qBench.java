package org.mlsysworkbench.algorithms.graph.quant;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The A2Q bench: learned per-node bitwidths for GNN features, against FP32, uniform and Degree-Quant. */
public final class A2qBench {

    public static final String ID = "a2q";

    private A2qBench() {
    }

    public static BenchDefinition<A2qConfig, A2qResult> definition() {
        return new BenchDefinition<>(ID, "GNN quantization (A2Q)",
                "Learned per-node bitwidths for GCN and GIN features (A2Q) against FP32, uniform bits and "
                        + "Degree-Quant; "
                        + "the Nearest Neighbour Strategy on unseen graphs.",
                A2qConfig.class, A2qConfig.defaults(), new A2qExperiment(),
                List.of("default", "cora", "cora-gin", "smoke"));
    }
}
