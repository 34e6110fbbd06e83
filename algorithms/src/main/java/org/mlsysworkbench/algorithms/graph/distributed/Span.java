package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * One measured interval of a simulated worker during an epoch (wall clock, milliseconds from the epoch's
 * start). Compute-lane kinds run on the worker's thread; link-lane kinds run on the link threads.
 *
 * @param worker    the worker whose row the span belongs to (sender for SEND, receiver for RECEIVE)
 * @param direction 0 forward (features), 1 backward (gradients)
 * @param layer     the layer computed, or the layer whose input (forward) or input gradient (backward) travels
 * @param peer      the other end of a message, or -1
 */
public record Span(int worker, Kind kind, int direction, int layer, int peer, double startMs, double endMs) {

    /** What the interval was. */
    public enum Kind {
        /** aggregation and dense work (inner rows, or all rows when not pipelined) */
        COMPUTE,
        /** boundary rows, computed after the halo data or gradients arrived (pipelined) */
        COMPUTE_BOUNDARY,
        /** blocked on messages that had not arrived (a stall) */
        WAIT,
        /** quantize and pack at the sender (link thread) */
        SEND,
        /** dequantize into the receive buffer (link thread) */
        RECEIVE;

        public boolean computeLane() {
            return this == COMPUTE || this == COMPUTE_BOUNDARY || this == WAIT;
        }
    }

    public double durationMs() {
        return endMs - startMs;
    }
}
