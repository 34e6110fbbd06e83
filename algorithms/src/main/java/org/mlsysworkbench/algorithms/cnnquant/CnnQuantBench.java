package org.mlsysworkbench.algorithms.cnnquant;

import java.util.List;
import org.mlsysworkbench.algorithms.core.BenchDefinition;

/** The headless half of the {@code cnnquant} bench. */
public final class CnnQuantBench {

    public static final String ID = "cnnquant";

    private CnnQuantBench() {
    }

    public static BenchDefinition<CnnQuantConfig, CnnQuantResult> definition() {
        return new BenchDefinition<>(ID, "CNN quantization",
                "Binary weights (BWN, BWNH), zero-shot BN-synthesised calibration and Q-CNN product quantization of "
                        + "a small BatchNorm CNN, side by side",
                CnnQuantConfig.class, CnnQuantConfig.defaults(), new CnnQuantExperiment(),
                List.of("default", "smoke", "fashion-mnist", "fashion-mnist-quick", "mnist", "procedural"));
    }
}
