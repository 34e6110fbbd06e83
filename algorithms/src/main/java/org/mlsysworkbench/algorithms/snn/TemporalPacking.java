package org.mlsysworkbench.algorithms.snn;

/**
 * How the irregular per-ray sample lists become a regular {@code [T, R]} spike tensor (SpikingNeRF section 3).
 */
public enum TemporalPacking {
    /** Temporal padding: a sample keeps its step (index along the ray); masked steps hold zeros and the membrane
     * keeps leaking through them. {@code T = max(step) - min(step) + 1}. */
    PADDING,
    /** Temporal condensing: each ray's surviving samples move to steps {@code 0..n_r-1}; shorter rays are padded at
     * the end. {@code T = max_r n_r}. */
    CONDENSING
}
