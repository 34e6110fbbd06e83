/**
 * Float32 tensors with tape-based reverse-mode autodiff: the one training engine of the workbench.
 *
 * <p>{@link org.mlsysworkbench.algorithms.core.tensor.Tensor} is a contiguous row-major array
 * ({@code float[]}, or {@code double[]} for gradient checks). Ops live in
 * {@link org.mlsysworkbench.algorithms.core.tensor.Ops} (arithmetic with broadcasting, matmul, shape ops,
 * reductions, softmax, cumsum/cumprod, clamps), {@link org.mlsysworkbench.algorithms.core.tensor.Nn}
 * (losses, dropout, gather/scatter, conv2d, pooling, batch/layer/RMS norm, straight-through round/sign,
 * surrogate Heaviside, trilinear grid sampling, SiLU, RoPE, causal multi-head attention) and
 * {@link org.mlsysworkbench.algorithms.core.tensor.CsrMatrix#matmul} (sparse x dense, graph aggregation).
 * While a {@link org.mlsysworkbench.algorithms.core.tensor.Tape} is open, ops on tensors that require a
 * gradient are recorded; {@code tape.backward(loss)} fills {@code grad()} of every such leaf, parameters
 * and inputs alike. Every op is checked against finite differences in double precision
 * ({@link org.mlsysworkbench.algorithms.core.tensor.GradCheck}, relative error &lt;= 1e-5).
 *
 * <pre>{@code
 * SplittableRandom rnd = new SplittableRandom(config.seed());
 * Tensor w1 = Tensor.glorot(DType.F32, rnd, 1433, 16).named("w1");   // leaves that require a gradient
 * Tensor w2 = Tensor.glorot(DType.F32, rnd, 16, 7).named("w2");
 * Adam opt = Adam.adam(List.of(w1, w2), 0.01, 5e-4);
 * BufferPool pool = new BufferPool();                                 // recycles intermediates
 * for (int epoch = 0; epoch < 200; epoch++) {
 *     opt.zeroGrad();
 *     try (Tape tape = Tape.record(pool)) {
 *         Tensor h = Ops.relu(adj.matmul(features.matmul(w1)));        // CsrMatrix x dense
 *         h = Nn.dropout(h, 0.5, rnd, true);
 *         Tensor logits = adj.matmul(Ops.matmul(h, w2));
 *         Tensor loss = Nn.crossEntropy(logits, labels, trainRows);
 *         tape.backward(loss);
 *         double lossValue = loss.item();   // read values before the tape closes: pooled arrays go back
 *     }
 *     opt.step();
 * }
 * ParameterIo.save(file, List.of(w1, w2));
 * }</pre>
 *
 * <p>Input gradients: mark the input a leaf ({@code image.requiresGrad(true)}) and read
 * {@code image.grad()} after {@code backward}. Batch statistics: {@code Nn.batchNorm(...).mean()} and
 * {@code .variance()} are tensors in the graph, usable in a loss. Inference: call ops without a tape.
 * Gradient checks of a whole model: build it from {@code DType.F64} tensors and call
 * {@code GradCheck.check(() -> loss(...), params, 40, seed, true)}.
 *
 * <p>Threads: tensors and tapes are not thread-safe (one training loop per thread); GEMM, conv2d and CSR
 * aggregation use the kernel pool ({@link org.mlsysworkbench.algorithms.core.kernels.KernelThreads}) inside.
 */
package org.mlsysworkbench.algorithms.core.tensor;
