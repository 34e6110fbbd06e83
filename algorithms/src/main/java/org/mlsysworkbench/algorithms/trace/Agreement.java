package org.mlsysworkbench.algorithms.trace;

/** How a recomputed number compares with the published one; the view colours rows by it. */
public enum Agreement {
    /** Within the stated tolerance. */
    AGREE,
    /** Outside the tolerance but within three times it. */
    PARTIAL,
    /** Further off. */
    DISAGREE,
    /** Nothing published to compare with (or nothing to recompute from). */
    NOT_AVAILABLE
}
