package org.mlsysworkbench.algorithms.attention;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The attention bench (LServe): streaming heads, block-sparse prefill and page-selected decode. */
public final class AttentionBench {

    public static final String ID = "attention";

    private AttentionBench() {
    }

    public static BenchDefinition<AttentionConfig, AttentionResult> definition() {
        return new BenchDefinition<>(ID, "Attention sparsity (LServe)",
                "Streaming heads, block-sparse prefill and query-aware KV page selection on a paged cache.",
                AttentionConfig.class, AttentionConfig.defaults(), new AttentionExperiment(),
                List.of("default", "needle-64k", "smoke", "recall", "train-recall"));
    }
}
