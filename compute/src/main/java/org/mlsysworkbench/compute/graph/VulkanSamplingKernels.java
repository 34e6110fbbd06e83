package org.mlsysworkbench.compute.graph;

import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.sampling.Block;
import org.mlsysworkbench.algorithms.graph.sampling.CpuSamplingKernels;
import org.mlsysworkbench.algorithms.graph.sampling.FusedIdMapper;
import org.mlsysworkbench.algorithms.graph.sampling.HopSample;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingKernels;
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
 * {@link SamplingKernels} on Vulkan (shaders under {@code glsl/graph/}): neighbour sampling with the CPU's
 * counter-based draws ({@code sample_neighbors}), FastGL's fused ID map on an atomic compare-and-swap hash
 * table ({@code map_ids}, three dispatches, one host read of the new-source counter per hop) and the
 * memory-aware mean aggregation with neighbour ids staged in shared memory ({@code aggregate_mean}).
 *
 * <p>Buffers (all std430, 32-bit): the graph's CSR offsets {@code int[N + 1]} and neighbours {@code int[E]}
 * stay on the device while the same {@link CsrGraph} is sampled (keyed by identity); per-call buffers are
 * freed before each call returns. Graphs in the long-offset form (more than 2^30 edges) fall back to the CPU
 * twin. Uses a context it does not own and owns its pipelines and the cached graph buffers ({@link #close()}).
 * Not thread-safe: call from the context's thread (see {@link VulkanSamplingBackendKernels}).
 */
public final class VulkanSamplingKernels implements SamplingKernels, AutoCloseable {

    private static final int WG = 64;
    private static final int STAGE = 32;

    // not owned
    private final GpuContext gpu;
    // owned
    private final KernelCache kernels;
    private CsrGraph cachedGraph;
    private GpuBuffer rowStart;
    private GpuBuffer neighbours;
    private final CpuSamplingKernels cpu = new CpuSamplingKernels();
    private boolean closed;

    public VulkanSamplingKernels(GpuContext gpu) {
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanSamplingKernels");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("VulkanSamplingKernels is closed");
        }
    }

    private ComputeKernel kernel(String shader, int bindings, int pushBytes, int... spec) {
        requireOpen();
        return kernels.get(KernelSpec.of(shader, bindings, pushBytes, spec));
    }

    /** Uploads the graph once per graph instance. */
    private void useGraph(CsrGraph g) {
        if (cachedGraph == g) {
            return;
        }
        releaseGraph();
        rowStart = gpu.buffer("graph/csr/rowStart", 4L * (g.numNodes() + 1));
        neighbours = gpu.buffer("graph/csr/neighbours", Math.max(4, 4L * g.numEdges()));
        try (CommandSequence s = gpu.sequence("graph/csr/upload")) {
            s.record(Op.upload(rowStart, g.offsets()));
            if (g.numEdges() > 0) {
                s.record(Op.upload(neighbours, g.indices()));
            }
            s.eval();
        }
        cachedGraph = g;
    }

    private void releaseGraph() {
        if (rowStart != null) {
            rowStart.close();
            neighbours.close();
            rowStart = null;
            neighbours = null;
        }
        cachedGraph = null;
    }

    @Override
    public HopSample sampleHop(CsrGraph g, int[] dst, int fanout, boolean replace, int seed) {
        requireOpen();
        if (!g.isCompact()) {
            return cpu.sampleHop(g, dst, fanout, replace, seed);
        }
        int nd = dst.length;
        int[] offsets = new int[nd + 1];
        long total = 0;
        for (int i = 0; i < nd; i++) {
            int deg = g.degree(dst[i]);
            total += fanout < 0 ? deg : replace ? (deg == 0 ? 0 : fanout) : Math.min(fanout, deg);
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("hop would sample " + total + "+ edges; lower the fanout ("
                        + fanout + ") or the batch size (" + nd + ")");
            }
            offsets[i + 1] = (int) total;
        }
        int[] out = new int[(int) total];
        if (nd == 0 || total == 0) {
            return new HopSample(dst, offsets, out);
        }
        useGraph(g);
        try (GpuBuffer bDst = gpu.buffer("graph/sample/dst", 4L * nd);
             GpuBuffer bOff = gpu.buffer("graph/sample/outOffsets", 4L * (nd + 1));
             GpuBuffer bOut = gpu.buffer("graph/sample/outSrc", 4L * total);
             CommandSequence s = gpu.sequence("graph/sample")) {
            s.record(Op.upload(bDst, dst)).record(Op.upload(bOff, offsets))
                    .record(Op.dispatch(kernel("graph/sample_neighbors", 5, 16, WG), Grid.forElements(nd, WG, gpu),
                            new int[] {nd, fanout, replace ? 1 : 0, seed}, rowStart, neighbours, bDst, bOff, bOut))
                    .record(Op.download(bOut, out))
                    .eval();
        }
        return new HopSample(dst, offsets, out);
    }

    @Override
    public Block fusedMap(HopSample hop) {
        requireOpen();
        int nd = hop.numDst();
        int ne = hop.numEdges();
        int size = FusedIdMapper.tableSize(nd + ne);
        int[] srcLocal = new int[ne];
        int[] counter = new int[1];
        try (GpuBuffer keys = gpu.buffer("graph/map/keys", 4L * size);
             GpuBuffer values = gpu.buffer("graph/map/values", 4L * size);
             GpuBuffer bDst = gpu.buffer("graph/map/dst", 4L * Math.max(1, nd));
             GpuBuffer bSrc = gpu.buffer("graph/map/edgeSrc", 4L * Math.max(1, ne));
             GpuBuffer slots = gpu.buffer("graph/map/slotOfEdge", 4L * Math.max(1, ne));
             GpuBuffer fresh = gpu.buffer("graph/map/newSrc", 4L * Math.max(1, ne));
             GpuBuffer count = gpu.buffer("graph/map/counter", 4);
             GpuBuffer local = gpu.buffer("graph/map/srcLocal", 4L * Math.max(1, ne));
             CommandSequence s = gpu.sequence("graph/map")) {
            GpuBuffer[] bind = {keys, values, bDst, bSrc, slots, fresh, count, local};
            int[] push = {nd, ne, size - 1};
            s.record(Op.fill(keys, -1)).record(Op.fill(values, -1)).record(Op.fill(count, 0));
            if (nd > 0) {
                s.record(Op.upload(bDst, hop.dst()));
            }
            if (ne > 0) {
                s.record(Op.upload(bSrc, HostArray.of(hop.edgeSrc(), 0, ne)));
            }
            // The sequence puts a barrier between passes: each reads the table the previous one wrote.
            s.record(Op.dispatch(kernel("graph/map_ids", 8, 12, WG, 0), Grid.forElements(Math.max(1, nd), WG, gpu),
                    push, bind));
            s.record(Op.dispatch(kernel("graph/map_ids", 8, 12, WG, 1), Grid.forElements(Math.max(1, ne), WG, gpu),
                    push, bind));
            s.record(Op.dispatch(kernel("graph/map_ids", 8, 12, WG, 2), Grid.forElements(Math.max(1, ne), WG, gpu),
                    push, bind));
            s.record(Op.download(count, counter));
            if (ne > 0) {
                s.record(Op.download(local, srcLocal));
            }
            s.eval();
            int[] srcNodes = new int[nd + counter[0]];
            System.arraycopy(hop.dst(), 0, srcNodes, 0, nd);
            if (counter[0] > 0) {
                int[] newSrc = new int[counter[0]];
                try (CommandSequence d = gpu.sequence("graph/map/readNew")) {
                    d.record(Op.download(fresh, HostArray.of(newSrc))).eval();
                }
                System.arraycopy(newSrc, 0, srcNodes, nd, newSrc.length);
            }
            return new Block(nd, srcNodes, hop.offsets(), srcLocal);
        }
    }

    @Override
    public void aggregateMean(Block block, float[] x, int dim, float[] out) {
        requireOpen();
        int nd = block.numDst();
        if (nd == 0 || dim == 0) {
            return;
        }
        int maxDeg = 0;
        for (int i = 0; i < nd; i++) {
            maxDeg = Math.max(maxDeg, block.degree(i));
        }
        int chunks = (maxDeg + STAGE - 1) / STAGE;
        int ne = block.numEdges();
        Grid rows = Grid.forElements(nd, 8, gpu);
        Grid grid = new Grid(rows.x(), rows.y(), (dim + 31) / 32);
        try (GpuBuffer off = gpu.buffer("graph/aggregate/offsets", 4L * (nd + 1));
             GpuBuffer src = gpu.buffer("graph/aggregate/srcLocal", 4L * Math.max(1, ne));
             GpuBuffer bx = gpu.buffer("graph/aggregate/x", 4L * block.numSrc() * dim);
             GpuBuffer bo = gpu.buffer("graph/aggregate/out", 4L * nd * dim);
             CommandSequence s = gpu.sequence("graph/aggregate")) {
            s.record(Op.upload(off, block.offsets()));
            if (ne > 0) {
                s.record(Op.upload(src, HostArray.of(block.srcLocal(), 0, ne)));
            }
            s.record(Op.upload(bx, HostArray.of(x, 0, block.numSrc() * dim)))
                    .record(Op.dispatch(kernel("graph/aggregate_mean", 4, 12, STAGE), grid,
                            new int[] {nd, dim, chunks}, off, src, bx, bo))
                    .record(Op.download(bo, HostArray.of(out, 0, nd * dim)))
                    .eval();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        releaseGraph();
        kernels.close();
        closed = true;
    }
}
