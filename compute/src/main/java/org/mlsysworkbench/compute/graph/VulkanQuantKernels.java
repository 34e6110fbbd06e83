package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.quant.QuantKernels;
import org.mlsysworkbench.compute.core.CommandSequence;
import org.mlsysworkbench.compute.core.ComputeKernel;
import org.mlsysworkbench.compute.core.GpuBuffer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.Grid;
import org.mlsysworkbench.compute.core.HostArray;
import org.mlsysworkbench.compute.core.KernelCache;
import org.mlsysworkbench.compute.core.KernelSpec;
import org.mlsysworkbench.compute.core.Op;

/**
 * A2Q's {@link QuantKernels} on Vulkan (shaders under {@code glsl/graph/}): per-node quantization to integer
 * codes ({@code a2q_quantize_rows}), dequantization ({@code a2q_dequantize_rows}) and the CSR aggregation over the codes
 * times each source node's step ({@code a2q_aggregate_quantized}), one element per invocation on a 2-D folded grid.
 *
 * <p>Buffers (std430, 32-bit, row-major) are the contract's; all are per call and freed before the call
 * returns. Uses a context it does not own and owns its pipelines ({@link #close()}, idempotent). Not
 * thread-safe: call from the context's thread (see {@link VulkanQuantBackendKernels}).
 */
public final class VulkanQuantKernels implements QuantKernels, AutoCloseable {

    private static final int WG = 64;

    // not owned
    private final GpuContext gpu;
    // owned
    private final KernelCache kernels;
    private boolean closed;

    public VulkanQuantKernels(GpuContext gpu) {
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanQuantKernels");
    }

    private ComputeKernel kernel(String shader, int bindings) {
        if (closed) {
            throw new IllegalStateException("VulkanQuantKernels is closed");
        }
        return kernels.get(KernelSpec.of(shader, bindings, 8, WG));
    }

    @Override
    public void quantize(float[] x, int n, int f, float[] alpha, int[] qmax, int[] codes) {
        ComputeKernel k = kernel("graph/a2q_quantize_rows", 4);
        int total = n * f;
        if (total == 0) {
            return;
        }
        try (GpuBuffer bx = gpu.buffer("graph/quant/x", 4L * total);
             GpuBuffer ba = gpu.buffer("graph/quant/alpha", 4L * n);
             GpuBuffer bq = gpu.buffer("graph/quant/qmax", 4L * n);
             GpuBuffer bc = gpu.buffer("graph/quant/codes", 4L * total);
             CommandSequence s = gpu.sequence("graph/quant/quantize")) {
            s.record(Op.upload(bx, HostArray.of(x, 0, total))).record(Op.upload(ba, HostArray.of(alpha, 0, n)))
                    .record(Op.upload(bq, HostArray.of(qmax, 0, n)))
                    .record(Op.dispatch(k, Grid.forElements(total, WG, gpu), new int[] {total, f}, bx, ba, bq, bc))
                    .record(Op.download(bc, HostArray.of(codes, 0, total)))
                    .eval();
        }
    }

    @Override
    public void dequantize(int[] codes, int n, int f, float[] alpha, float[] out) {
        ComputeKernel k = kernel("graph/a2q_dequantize_rows", 3);
        int total = n * f;
        if (total == 0) {
            return;
        }
        try (GpuBuffer bc = gpu.buffer("graph/dequant/codes", 4L * total);
             GpuBuffer ba = gpu.buffer("graph/dequant/alpha", 4L * n);
             GpuBuffer bo = gpu.buffer("graph/dequant/out", 4L * total);
             CommandSequence s = gpu.sequence("graph/quant/dequantize")) {
            s.record(Op.upload(bc, HostArray.of(codes, 0, total))).record(Op.upload(ba, HostArray.of(alpha, 0, n)))
                    .record(Op.dispatch(k, Grid.forElements(total, WG, gpu), new int[] {total, f}, bc, ba, bo))
                    .record(Op.download(bo, HostArray.of(out, 0, total)))
                    .eval();
        }
    }

    @Override
    public void aggregate(int[] rowPtr, int[] cols, float[] vals, int rows, int[] codes, float[] alpha, int f,
                          float[] out) {
        ComputeKernel k = kernel("graph/a2q_aggregate_quantized", 6);
        int total = rows * f;
        int nnz = rowPtr[rows];
        if (total == 0) {
            return;
        }
        try (GpuBuffer bp = gpu.buffer("graph/qagg/rowPtr", 4L * (rows + 1));
             GpuBuffer bcol = gpu.buffer("graph/qagg/cols", 4L * Math.max(1, nnz));
             GpuBuffer bv = gpu.buffer("graph/qagg/vals", 4L * Math.max(1, nnz));
             GpuBuffer bc = gpu.buffer("graph/qagg/codes", 4L * codes.length);
             GpuBuffer ba = gpu.buffer("graph/qagg/alpha", 4L * alpha.length);
             GpuBuffer bo = gpu.buffer("graph/qagg/out", 4L * total);
             CommandSequence s = gpu.sequence("graph/quant/aggregate")) {
            s.record(Op.upload(bp, HostArray.of(rowPtr, 0, rows + 1)));
            if (nnz > 0) {
                s.record(Op.upload(bcol, HostArray.of(cols, 0, nnz))).record(Op.upload(bv, HostArray.of(vals, 0, nnz)));
            }
            s.record(Op.upload(bc, HostArray.of(codes))).record(Op.upload(ba, HostArray.of(alpha)))
                    .record(Op.dispatch(k, Grid.forElements(total, WG, gpu), new int[] {total, f}, bp, bcol, bv, bc,
                            ba, bo))
                    .record(Op.download(bo, HostArray.of(out, 0, total)))
                    .eval();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        kernels.close();
        closed = true;
    }
}
