package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.distributed.LowBitCodec;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitKernels;
import org.mlsysworkbench.algorithms.graph.distributed.LowBitMessage;
import org.mlsysworkbench.compute.core.CommandSequence;
import org.mlsysworkbench.compute.core.ComputeKernel;
import org.mlsysworkbench.compute.core.GpuBuffer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.Grid;
import org.mlsysworkbench.compute.core.KernelCache;
import org.mlsysworkbench.compute.core.KernelSpec;
import org.mlsysworkbench.compute.core.Op;

/**
 * The Low-bit Module on Vulkan ({@code graph/quantize_rows.comp}, {@code graph/dequantize_rows.comp}): the
 * same counter-based stochastic rounding and bit packing as the CPU twin
 * {@link org.mlsysworkbench.algorithms.graph.distributed.CpuLowBitKernels}, so packed words are identical and
 * dequantized values equal (parity tests allow 1e-6).
 *
 * <p>Buffers (std430, 32-bit): quantize reads {@code x float[rows * d]} and {@code nodes int[rows]}, writes
 * {@code lo float[rows]}, {@code range float[rows]} and {@code words uint[rows * wordsPerRow]}; dequantize reads
 * lo, range and words and writes {@code out float[rows * d]}. Per-call buffers are freed before each call
 * returns. Uses a context it does not own and owns its pipelines ({@link #close()}). Not thread-safe: call from
 * the context's thread (see {@link VulkanLowBitBackendKernels}).
 */
public final class VulkanLowBitKernels implements LowBitKernels, AutoCloseable {

    private static final int WG = 64;

    // not owned
    private final GpuContext gpu;
    // owned
    private final KernelCache kernels;
    private boolean closed;

    public VulkanLowBitKernels(GpuContext gpu) {
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanLowBitKernels");
    }

    private ComputeKernel kernel(String shader, int bindings, int pushBytes) {
        if (closed) {
            throw new IllegalStateException("VulkanLowBitKernels is closed");
        }
        return kernels.get(KernelSpec.of(shader, bindings, pushBytes, WG));
    }

    @Override
    public LowBitMessage quantize(float[] x, int rows, int d, int[] nodes, int bits, LowBitCodec.Side side,
                                  int seed) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("quantized message bits must be 1, 2, 4 or 8, got " + bits);
        }
        ComputeKernel k = kernel("graph/quantize_rows", 5, 24);
        int wpr = LowBitMessage.wordsPerRow(d, bits);
        float[] lo = new float[rows];
        float[] range = new float[rows];
        int[] words = new int[rows * wpr];
        if (rows == 0) {
            return new LowBitMessage(rows, d, bits, side, seed, lo, range, words);
        }
        try (GpuBuffer bx = gpu.buffer("graph/lowbit/x", 4L * Math.max(1, rows * d));
             GpuBuffer bn = gpu.buffer("graph/lowbit/nodes", 4L * rows);
             GpuBuffer bl = gpu.buffer("graph/lowbit/lo", 4L * rows);
             GpuBuffer br = gpu.buffer("graph/lowbit/range", 4L * rows);
             GpuBuffer bw = gpu.buffer("graph/lowbit/words", 4L * Math.max(1, words.length));
             CommandSequence s = gpu.sequence("graph/lowbit/quantize")) {
            if (rows * d > 0) {
                s.record(Op.upload(bx, x));
            }
            s.record(Op.upload(bn, nodes))
                    .record(Op.dispatch(k, Grid.forElements(rows, WG, gpu),
                            new int[] {rows, d, bits, seed, side == LowBitCodec.Side.BFLOAT16 ? 1 : 0, wpr},
                            bx, bn, bl, br, bw))
                    .record(Op.download(bl, lo))
                    .record(Op.download(br, range));
            if (words.length > 0) {
                s.record(Op.download(bw, words));
            }
            s.eval();
        }
        return new LowBitMessage(rows, d, bits, side, seed, lo, range, words);
    }

    @Override
    public void dequantize(LowBitMessage m, float[] out) {
        ComputeKernel k = kernel("graph/dequantize_rows", 4, 20);
        long values = (long) m.rows() * m.d();
        if (values == 0) {
            return;
        }
        int wpr = LowBitMessage.wordsPerRow(m.d(), m.bits());
        int invLevels = Float.floatToRawIntBits(1f / ((1 << m.bits()) - 1));
        try (GpuBuffer bl = gpu.buffer("graph/lowbit/lo", 4L * m.rows());
             GpuBuffer br = gpu.buffer("graph/lowbit/range", 4L * m.rows());
             GpuBuffer bw = gpu.buffer("graph/lowbit/words", 4L * Math.max(1, m.words().length));
             GpuBuffer bo = gpu.buffer("graph/lowbit/out", 4L * values);
             CommandSequence s = gpu.sequence("graph/lowbit/dequantize")) {
            s.record(Op.upload(bl, m.lo())).record(Op.upload(br, m.range()));
            if (m.words().length > 0) {
                s.record(Op.upload(bw, m.words()));
            }
            s.record(Op.dispatch(k, Grid.forElements(values, WG, gpu),
                            new int[] {m.rows(), m.d(), m.bits(), wpr, invLevels}, bl, br, bw, bo))
                    .record(Op.download(bo, out))
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
