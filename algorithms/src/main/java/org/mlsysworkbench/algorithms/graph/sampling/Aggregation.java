package org.mlsysworkbench.algorithms.graph.sampling;

/**
 * Where the neighbour transform happens relative to the mean aggregation of a GraphSAGE layer
 * ({@code mean_{u in N(v)} h_u * W = mean_{u in N(v)} (h_u * W)}, so both orders give the same numbers up to
 * float rounding):
 * <ul>
 *   <li>{@link #NAIVE}: aggregate the input rows (width {@code in}), then transform: the gather moves
 *       {@code edges * in} floats;</li>
 *   <li>{@link #MEMORY_AWARE}: FastGL's order, transform every source row first, then aggregate the
 *       transformed rows (width {@code out}) with the cache-blocked kernel: the gather moves
 *       {@code edges * out} floats at the price of transforming {@code numSrc} instead of {@code numDst}
 *       rows.</li>
 * </ul>
 */
public enum Aggregation {
    NAIVE("naive"), MEMORY_AWARE("memory-aware");

    private final String key;

    Aggregation(String key) {
        this.key = key;
    }

    /** The config spelling. */
    public String key() {
        return key;
    }

    /** Parses the config spelling. */
    public static Aggregation of(String key) {
        for (Aggregation a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("aggregation: expected naive or memory-aware, got " + key);
    }
}
