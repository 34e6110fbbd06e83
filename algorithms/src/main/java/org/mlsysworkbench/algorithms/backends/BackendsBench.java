package org.mlsysworkbench.algorithms.backends;

import java.util.List;
import java.util.function.Supplier;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The Backends bench: what each backend of this machine computes, how fast, and whether it agrees. */
public final class BackendsBench {

    public static final String ID = "backends";

    private BackendsBench() {
    }

    /** The bench, timing the CPU, the run's backend and every backend {@code available} supplies. */
    public static BenchDefinition<BackendsConfig, BackendsResult> definition(Supplier<List<Backend>> available) {
        return new BenchDefinition<>(ID, "Backends",
                "Reference kernels (saxpy, GEMM, reduction) on every backend: agreement and throughput.",
                BackendsConfig.class, BackendsConfig.defaults(), new BackendsExperiment(available),
                List.of("default", "large", "smoke"));
    }
}
