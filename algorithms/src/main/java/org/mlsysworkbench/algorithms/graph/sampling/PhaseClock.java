package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.EnumMap;
import java.util.Map;

/**
 * Attributes wall time to the phases of an epoch with contiguous laps: each {@link #lap(Phase)} charges the
 * time since the previous lap (or {@link #start()}) to one phase, so the phases add up to the elapsed time
 * exactly, with nothing left unattributed. Not thread-safe; one per training loop.
 */
public final class PhaseClock {

    /** The artifact's breakdown, with ID mapping split out of sampling. */
    public enum Phase {
        SAMPLE("sample"), ID_MAP("id_map"), GATHER("gather_copy"), FORWARD("forward"), BACKWARD("backward");

        private final String key;

        Phase(String key) {
            this.key = key;
        }

        /** Series name stem, lower snake case. */
        public String key() {
            return key;
        }
    }

    private final long[] nanos = new long[Phase.values().length];
    private long last;
    private long started;

    /** Starts (or restarts) the clock and clears the totals. */
    public PhaseClock start() {
        java.util.Arrays.fill(nanos, 0);
        started = System.nanoTime();
        last = started;
        return this;
    }

    /** Charges the time since the previous lap to {@code phase}. */
    public void lap(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - last;
        last = now;
    }

    public long nanos(Phase phase) {
        return nanos[phase.ordinal()];
    }

    /** Time from {@link #start()} to the last lap. */
    public long elapsedNanos() {
        return last - started;
    }

    /** Milliseconds per phase, in phase order. */
    public Map<Phase, Double> millis() {
        Map<Phase, Double> m = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            m.put(p, nanos[p.ordinal()] / 1e6);
        }
        return m;
    }
}
