package org.mlsysworkbench.algorithms.trace;

/**
 * One row of the reproduction table: a published number (a {@code cluster_summary.csv} value or a paper
 * claim) beside the value recomputed from the loaded or generated jobs.
 *
 * @param cluster     cluster name
 * @param quantity    what is compared (a summary column or the claim's text)
 * @param published   the published value (NaN when not published)
 * @param recomputed  the recomputed value (extensive columns divided by the trace's job scale)
 * @param unit        unit of both values ("s", "GPUs", "%", "jobs", "GPU-s")
 * @param tolerance   the agreement rule in words, e.g. "±5 % relative" or "±2 points"
 * @param agreement   the verdict
 */
public record ReproductionRow(String cluster, String quantity, double published, double recomputed, String unit,
                              String tolerance, Agreement agreement) {
}
