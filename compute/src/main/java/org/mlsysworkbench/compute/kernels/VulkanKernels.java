package org.mlsysworkbench.compute.kernels;

import java.util.ArrayList;
import java.util.List;
import org.mlsysworkbench.algorithms.core.kernels.GenericKernels;
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
 * The generic kernels on Vulkan, array in, array out: saxpy, blocked GEMM, reduction, exclusive scan,
 * stream compaction, gather, scatter, top-k and histogram (shaders under {@code glsl/core/}). Each call
 * uploads, runs one or two command sequences and downloads; {@link #lastGpuMs()} is the GPU time of the
 * dispatches of the last call (0 without timestamps).
 *
 * <p>lavapipe limits respected everywhere: groups fold into 2-D past 65,535 per dimension
 * ({@link Grid#linear}); no invocation loops more than a few hundred times, except GEMM, whose K is
 * split into dispatches of at most {@value #GEMM_K_CHUNK} so one invocation stays under ~25,000 loop
 * trips (lavapipe stops at 65,535).
 *
 * <p>Uses a context it does not own; owns its pipelines ({@link #close()}). Not thread-safe: call from
 * the context's thread.
 */
public final class VulkanKernels implements AutoCloseable {

    /** K range of one GEMM dispatch. */
    public static final int GEMM_K_CHUNK = 1024;
    /** Top-k sizes up to block / 2 run on the GPU; larger k use the CPU twin. */
    private static final int TOPK_ITEMS = 4;

    // not owned
    private final GpuContext gpu;
    // owned
    private final KernelCache kernels;
    private final int wg;
    private final int items;
    private double lastGpuMs;
    private boolean closed;

    /** Workgroups of 256 invocations, 8 elements per invocation in the reduction, scan and histogram. */
    public VulkanKernels(GpuContext gpu) {
        this(gpu, 256, 8);
    }

    /**
     * @param workgroupSize a power of two up to the device's limit (small sizes let tests exceed 65,535 groups)
     * @param itemsPerInvocation elements per invocation in reduction, scan and histogram (>= 1)
     */
    public VulkanKernels(GpuContext gpu, int workgroupSize, int itemsPerInvocation) {
        if (Integer.bitCount(workgroupSize) != 1 || workgroupSize < 8
                || workgroupSize > Math.min(1024, gpu.maxWorkgroupInvocations()) || itemsPerInvocation < 1) {
            throw new IllegalArgumentException("workgroup size must be a power of two in 8.."
                    + gpu.maxWorkgroupInvocations() + " and items >= 1, got " + workgroupSize + ", "
                    + itemsPerInvocation);
        }
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanKernels");
        this.wg = workgroupSize;
        this.items = itemsPerInvocation;
    }

    public GpuContext context() {
        return gpu;
    }

    /** GPU time of the dispatches of the last call, milliseconds (0 when the queue has no timestamps). */
    public double lastGpuMs() {
        return lastGpuMs;
    }

    private ComputeKernel kernel(String shader, int bindings, int pushBytes, int... spec) {
        if (closed) {
            throw new IllegalStateException("VulkanKernels is closed");
        }
        return kernels.get(KernelSpec.of(shader, bindings, pushBytes, spec));
    }

    /** Buffers of one call: closed together. */
    private final class Scratch implements AutoCloseable {
        private final List<AutoCloseable> open = new ArrayList<>();

        GpuBuffer buffer(String name, long bytes) {
            GpuBuffer b = gpu.buffer(name, Math.max(4, bytes));
            open.add(b);
            return b;
        }

        CommandSequence sequence(String name) {
            CommandSequence s = gpu.sequence(name);
            open.add(s);
            return s;
        }

        @Override
        public void close() {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void eval(CommandSequence s) {
        s.eval();
        lastGpuMs += s.dispatchMs();
    }

    /** {@code y = a * x + y}, bit-identical to Java's float arithmetic. */
    public void saxpy(float a, float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("saxpy: x has " + x.length + " elements, y has " + y.length);
        }
        lastGpuMs = 0;
        int n = x.length;
        if (n == 0) {
            return;
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer bx = s.buffer("saxpy/x", 4L * n);
            GpuBuffer by = s.buffer("saxpy/y", 4L * n);
            eval(s.sequence("saxpy").record(Op.upload(bx, x)).record(Op.upload(by, y))
                    .record(Op.dispatch(kernel("core/scale_add", 2, 8, wg), Grid.forElements(n, wg, gpu),
                            new int[] {n, Op.bits(a)}, bx, by))
                    .record(Op.download(by, y)));
        }
    }

    /** {@code C = A * B}, row-major float32 (A m x k, B k x n); C is overwritten. */
    public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (m < 0 || n < 0 || k < 0 || a.length < (long) m * k || b.length < (long) k * n
                || c.length < (long) m * n) {
            throw new IllegalArgumentException("gemm: arrays smaller than " + m + "x" + k + " * " + k + "x" + n);
        }
        lastGpuMs = 0;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, 0, m * n, 0f);
            return;
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer ba = s.buffer("gemm/a", 4L * m * k);
            GpuBuffer bb = s.buffer("gemm/b", 4L * k * n);
            GpuBuffer bc = s.buffer("gemm/c", 4L * m * n);
            CommandSequence seq = s.sequence("gemm")
                    .record(Op.upload(ba, HostArray.of(a, 0, m * k)))
                    .record(Op.upload(bb, HostArray.of(b, 0, k * n)));
            ComputeKernel kernel = kernel("core/multiply_matrices", 3, 24);
            Grid grid = new Grid((n + 63) / 64, (m + 63) / 64, 1);
            for (int k0 = 0; k0 < k; k0 += GEMM_K_CHUNK) {
                int k1 = Math.min(k, k0 + GEMM_K_CHUNK);
                seq.record(Op.dispatch(kernel, grid, new int[] {m, n, k, k0, k1, k0 == 0 ? 0 : 1}, ba, bb, bc));
            }
            eval(seq.record(Op.download(bc, HostArray.of(c, 0, m * n))));
        }
    }

    /**
     * Sum of x: per-workgroup float32 partial sums of {@code wg * items} elements (a tree), then the
     * partials added in double on the host in index order. Relative error ~1e-7 for positive data.
     */
    public double sum(float[] x) {
        lastGpuMs = 0;
        int n = x.length;
        if (n == 0) {
            return 0;
        }
        int groups = (int) ((n + (long) wg * items - 1) / ((long) wg * items));
        float[] partial = new float[groups];
        try (Scratch s = new Scratch()) {
            GpuBuffer bx = s.buffer("sum/x", 4L * n);
            GpuBuffer bp = s.buffer("sum/partial", 4L * groups);
            eval(s.sequence("sum").record(Op.upload(bx, x))
                    .record(Op.dispatch(kernel("core/reduce_sum", 2, 8, wg, items), Grid.linear(groups, gpu),
                            new int[] {n, groups}, bx, bp))
                    .record(Op.download(bp, partial)));
        }
        double total = 0;
        for (float p : partial) {
            total += p;
        }
        return total;
    }

    /** See {@link GenericKernels#exclusiveScan}. */
    public int[] exclusiveScan(int[] values) {
        lastGpuMs = 0;
        int n = values.length;
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer data = s.buffer("scan/data", 4L * n);
            CommandSequence seq = s.sequence("scan").record(Op.upload(data, values));
            recordScan(s, seq, data, n, false, 0);
            eval(seq.record(Op.download(data, out)));
        }
        return out;
    }

    /** Records an in-place exclusive scan of {@code data[0..n)}: block scans, scan of block totals, offsets. */
    private void recordScan(Scratch s, CommandSequence seq, GpuBuffer data, int n, boolean normalize, int level) {
        long block = (long) wg * items;
        int groups = (int) ((n + block - 1) / block);
        GpuBuffer sums = s.buffer("scan/sums" + level, 4L * groups);
        Grid grid = Grid.linear(groups, gpu);
        seq.record(Op.dispatch(kernel("core/scan_blocks", 2, 8, wg, items, normalize ? 1 : 0), grid,
                new int[] {n, groups}, data, sums));
        if (groups > 1) {
            recordScan(s, seq, sums, groups, false, level + 1);
            seq.record(Op.dispatch(kernel("core/add_offsets", 2, 8, wg, items), grid, new int[] {n, groups},
                    data, sums));
        }
    }

    /** See {@link GenericKernels#compact}: scan of (flags != 0), then a scatter of the kept values. */
    public int[] compact(int[] values, int[] flags) {
        if (values.length != flags.length) {
            throw new IllegalArgumentException("compact: " + values.length + " values but " + flags.length + " flags");
        }
        lastGpuMs = 0;
        int n = values.length;
        if (n == 0) {
            return new int[0];
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer bv = s.buffer("compact/values", 4L * n);
            GpuBuffer bf = s.buffer("compact/flags", 4L * n);
            GpuBuffer pos = s.buffer("compact/pos", 4L * n);
            int[] last = new int[1];
            CommandSequence scan = s.sequence("compact/scan").record(Op.upload(bv, values)).record(Op.upload(bf, flags))
                    .record(Op.copy(bf, pos, 4L * n));
            recordScan(s, scan, pos, n, true, 0);
            eval(scan.record(new Op.Download(pos, 4L * (n - 1), HostArray.of(last))));
            int count = last[0] + (flags[n - 1] != 0 ? 1 : 0);
            int[] out = new int[count];
            if (count == 0) {
                return out;
            }
            GpuBuffer bo = s.buffer("compact/out", 4L * count);
            eval(s.sequence("compact/scatter")
                    .record(Op.dispatch(kernel("core/scatter_selected", 4, 4, wg), Grid.forElements(n, wg, gpu),
                            new int[] {n}, bv, bf, pos, bo))
                    .record(Op.download(bo, out)));
            return out;
        }
    }

    /** See {@link GenericKernels#gather}. */
    public float[] gather(float[] source, int[] indices) {
        GenericKernels.requireIndices(indices, source.length, "gather");
        lastGpuMs = 0;
        int n = indices.length;
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer src = s.buffer("gather/source", 4L * source.length);
            GpuBuffer idx = s.buffer("gather/indices", 4L * n);
            GpuBuffer bo = s.buffer("gather/out", 4L * n);
            eval(s.sequence("gather").record(Op.upload(src, source)).record(Op.upload(idx, indices))
                    .record(Op.dispatch(kernel("core/gather_values", 3, 4, wg), Grid.forElements(n, wg, gpu),
                            new int[] {n}, src, idx, bo))
                    .record(Op.download(bo, out)));
        }
        return out;
    }

    /** See {@link GenericKernels#scatter}. */
    public float[] scatter(float[] values, int[] indices, int size) {
        if (values.length != indices.length) {
            throw new IllegalArgumentException("scatter: " + values.length + " values but " + indices.length
                    + " indices");
        }
        GenericKernels.requireIndices(indices, size, "scatter");
        GenericKernels.requireDistinct(indices, size, "scatter");
        lastGpuMs = 0;
        float[] out = new float[size];
        int n = indices.length;
        if (n == 0 || size == 0) {
            return out;
        }
        try (Scratch s = new Scratch()) {
            GpuBuffer bv = s.buffer("scatter/values", 4L * n);
            GpuBuffer idx = s.buffer("scatter/indices", 4L * n);
            GpuBuffer bo = s.buffer("scatter/out", 4L * size);
            eval(s.sequence("scatter").record(Op.upload(bv, values)).record(Op.upload(idx, indices))
                    .record(Op.fill(bo, 0))
                    .record(Op.dispatch(kernel("core/scatter_values", 3, 4, wg), Grid.forElements(n, wg, gpu),
                            new int[] {n}, bv, idx, bo))
                    .record(Op.download(bo, out)));
        }
        return out;
    }

    /** Largest k the GPU top-k handles (half a sort block); larger k fall back to the CPU twin. */
    public int maxTopK() {
        return wg * TOPK_ITEMS / 2;
    }

    /**
     * See {@link GenericKernels#topK}: rounds of block-local bitonic sorts keeping each block's best k,
     * until one block remains. k above {@link #maxTopK()} runs on the CPU twin.
     */
    public int[] topK(float[] values, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("topK: k must be >= 0, got " + k);
        }
        lastGpuMs = 0;
        int n = values.length;
        int m = Math.min(k, n);
        if (m == 0) {
            return new int[0];
        }
        if (k > maxTopK()) {
            return new org.mlsysworkbench.algorithms.core.kernels.CpuGenericKernels().topK(values, k);
        }
        int block = wg * TOPK_ITEMS;
        try (Scratch s = new Scratch()) {
            GpuBuffer bv = s.buffer("topk/values", 4L * n);
            CommandSequence seq = s.sequence("topk").record(Op.upload(bv, values));
            GpuBuffer in = bv;
            long count = n;
            boolean first = true;
            int round = 0;
            while (true) {
                int groups = (int) ((count + block - 1) / block);
                GpuBuffer out = s.buffer("topk/round" + round++, 8L * groups * k);
                seq.record(Op.dispatch(kernel("core/select_topk", 3, 12, wg, TOPK_ITEMS, first ? 1 : 0),
                        Grid.linear(groups, gpu), new int[] {(int) count, k, groups}, first ? bv : in,
                        first ? bv : in, out));
                in = out;
                first = false;
                count = (long) groups * k;
                if (groups == 1) {
                    break;
                }
            }
            int[] pairs = new int[2 * k];
            eval(seq.record(Op.download(in, pairs)));
            int[] result = new int[m];
            for (int j = 0; j < m; j++) {
                result[j] = pairs[2 * j + 1];
            }
            return result;
        }
    }

    /** See {@link GenericKernels#histogram}. */
    public int[] histogram(float[] values, float lo, float hi, int bins) {
        float scale = GenericKernels.histogramScale(lo, hi, bins);
        lastGpuMs = 0;
        int[] counts = new int[bins];
        int n = values.length;
        if (n == 0) {
            return counts;
        }
        int groups = (int) ((n + (long) wg * items - 1) / ((long) wg * items));
        try (Scratch s = new Scratch()) {
            GpuBuffer bv = s.buffer("histogram/values", 4L * n);
            GpuBuffer bc = s.buffer("histogram/counts", 4L * bins);
            eval(s.sequence("histogram").record(Op.upload(bv, values)).record(Op.fill(bc, 0))
                    .record(Op.dispatch(kernel("core/count_histogram", 2, 24, wg, items), Grid.linear(groups, gpu),
                            new int[] {n, bins, Op.bits(lo), Op.bits(hi), Op.bits(scale), groups}, bv, bc))
                    .record(Op.download(bc, counts)));
        }
        return counts;
    }

    /** Destroys the cached pipelines (not the context). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        kernels.close();
    }
}
