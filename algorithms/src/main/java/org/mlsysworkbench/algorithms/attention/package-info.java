/**
 * LServe's unified sparse attention (papers/lserve.md) on a paged KV cache, in plain Java.
 *
 * <ul>
 *   <li>Model: {@link org.mlsysworkbench.algorithms.attention.Llama2Checkpoint} reads llama2.c checkpoints;
 *       {@link org.mlsysworkbench.algorithms.attention.LlamaModel} runs the float32 forward pass with dense or
 *       LServe decode attention ({@link org.mlsysworkbench.algorithms.attention.SparseAttentionSettings}).</li>
 *   <li>KV cache: {@link org.mlsysworkbench.algorithms.attention.PagedKvCache} (retrieval heads: pages, block
 *       table, per-logical-page key statistics) and {@link org.mlsysworkbench.algorithms.attention.StreamingKvCache}
 *       (streaming heads: sink + ring).</li>
 *   <li>Static sparsity: {@link org.mlsysworkbench.algorithms.attention.HeadMap} (gates, quantile threshold,
 *       per-layer retrieval counts), {@link org.mlsysworkbench.algorithms.attention.StreamingCalibration}
 *       (training-free gates), {@link org.mlsysworkbench.algorithms.attention.PrefillPlan} (block-sparse tile
 *       lists).</li>
 *   <li>Dynamic sparsity: page scores {@code S_j = sum_i max(q_i kmax_j[i], q_i kmin_j[i])}, physical score = max
 *       of its logical pages, {@link org.mlsysworkbench.algorithms.attention.PageSelection} (top-K under a token
 *       budget, newest page always kept), reuse every C steps.</li>
 *   <li>Kernels: the {@link org.mlsysworkbench.algorithms.attention.AttentionKernels} contract and its CPU twin
 *       {@link org.mlsysworkbench.algorithms.attention.CpuAttentionKernels}; the Vulkan version lives in
 *       {@code compute}.</li>
 *   <li>Bench: {@link org.mlsysworkbench.algorithms.attention.AttentionExperiment},
 *       {@link org.mlsysworkbench.algorithms.attention.AttentionConfig},
 *       {@link org.mlsysworkbench.algorithms.attention.AttentionBench},
 *       {@link org.mlsysworkbench.algorithms.attention.AttentionBenchmark} ({@code bench attention}),
 *       {@link org.mlsysworkbench.algorithms.attention.NeedleTrials} (needles beyond any model's context).</li>
 * </ul>
 */
package org.mlsysworkbench.algorithms.attention;
