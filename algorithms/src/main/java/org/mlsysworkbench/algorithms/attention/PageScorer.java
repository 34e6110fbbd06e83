package org.mlsysworkbench.algorithms.attention;

/** How a logical page is scored against a query. */
public enum PageScorer {
    /** {@code S_j = sum_i max(q_i * kmax_j[i], q_i * kmin_j[i])} (Quest / LServe Eq. 2). */
    MIN_MAX,
    /** {@code S_j = sum_i (q_i * mean_j[i] + |q_i| * std_j[i])}: robust to single outlier keys (kekzl/imp #1994). */
    MEAN_STD
}
