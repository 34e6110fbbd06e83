package org.mlsysworkbench.algorithms.trace;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The trace bench: Acme's datacenter-trace statistics, reproduction table, and the two system simulators. */
public final class TraceBench {

    public static final String ID = "trace";

    private TraceBench() {
    }

    public static BenchDefinition<TraceConfig, TraceResult> definition() {
        return new BenchDefinition<>(ID, "Datacenter trace (Acme)",
                "Load or generate an LLM-datacenter job trace, recompute the paper's statistics and simulate "
                        + "fault-tolerant pretraining and evaluation scheduling.",
                TraceConfig.class, TraceConfig.defaults(), new TraceExperiment(),
                List.of("default", "seren", "kalos-fixture", "smoke"));
    }
}
