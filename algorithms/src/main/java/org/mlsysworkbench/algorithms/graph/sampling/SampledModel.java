package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.SplittableRandom;

/**
 * A GNN trained on sampled blocks ({@link SageModel}, {@link GcnModel}): one optimiser step per batch, and
 * inference on a batch sampled with full neighbourhoods. Inputs are the rows of {@code batch.inputNodes()},
 * row-major {@code float[numInput * inputWidth]}; outputs are the seeds' logits, {@code float[numSeeds *
 * classes]}. Deterministic for a given random stream. Not thread-safe.
 */
public interface SampledModel {

    /** Layers, one per block of a batch. */
    int numLayers();

    /**
     * Forward pass with dropout, softmax cross-entropy against {@code seedLabels}, backward pass and one
     * optimiser step. Charges the forward pass (through the loss) to {@link PhaseClock.Phase#FORWARD} and the
     * backward pass with the update to {@link PhaseClock.Phase#BACKWARD} when {@code clock} is not null.
     *
     * @return the mean loss over the seeds
     */
    double trainStep(SampledBatch batch, float[] x, int[] seedLabels, double dropout, SplittableRandom rnd,
                     PhaseClock clock);

    /** Logits of the seeds without dropout; changes no parameter. */
    float[] predict(SampledBatch batch, float[] x);
}
