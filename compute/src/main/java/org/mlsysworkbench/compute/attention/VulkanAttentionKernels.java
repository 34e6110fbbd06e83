package org.mlsysworkbench.compute.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.attention.AttentionKernels;
import org.mlsysworkbench.algorithms.attention.KvLayout;
import org.mlsysworkbench.algorithms.attention.PageSelection;
import org.mlsysworkbench.algorithms.attention.PrefillPlan;
import org.mlsysworkbench.compute.core.CommandSequence;
import org.mlsysworkbench.compute.core.ComputeKernel;
import org.mlsysworkbench.compute.core.GpuBuffer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;
import org.mlsysworkbench.compute.core.Grid;
import org.mlsysworkbench.compute.core.KernelCache;
import org.mlsysworkbench.compute.core.KernelSpec;
import org.mlsysworkbench.compute.core.Op;

/**
 * {@link AttentionKernels} on Vulkan (shaders under {@code glsl/attention/}), array in, array out: each call
 * uploads its inputs, records its dispatches in one command sequence (barriers derived by the sequence) and
 * downloads the result into the caller's array. Buffer layouts are those of the contract (std430 scalar arrays).
 *
 * <p>lavapipe's 65,535 loop iterations per invocation: prefill folds at most {@link #entriesPerPass} tiles per
 * dispatch into a per-row online-softmax state and records as many passes as the longest tile list needs;
 * decode splits over pages (one invocation per page) and merges partials in a second dispatch; page selection
 * ranks with 256 invocations per head (within the limit up to 2,048 pages). Groups fold into 2-D past 65,535.
 *
 * <p>With a {@link GpuThread}, every call runs on it (the backend's one GPU thread); without one, calls run on
 * the caller's thread, which must be the context's. Uses a context it does not own; owns its pipelines
 * ({@link #close()}, idempotent; any call after it throws {@link IllegalStateException}).
 */
public final class VulkanAttentionKernels implements AttentionKernels {

    /** Loop iterations one invocation may spend per prefill pass (lavapipe stops at 65,535). */
    public static final int LOOP_BUDGET = 60_000;
    static final int MAX_TILE_K = 128;
    static final int MAX_PAGE_TOKENS = 256;
    static final int MAX_SELECT_PAGES = 8192;
    private static final int WG = 64;
    private static final int SELECT_WG = 256;

    // not owned
    private final GpuContext gpu;
    private final GpuThread thread;
    // owned
    private final KernelCache kernels;
    private final int loopBudget;
    private double lastGpuMs;
    private boolean closed;

    /** Kernels whose calls run on {@code thread} (null: on the caller's thread). */
    public VulkanAttentionKernels(GpuContext gpu, GpuThread thread) {
        this(gpu, thread, LOOP_BUDGET);
    }

    /** As above with another per-pass loop budget (tests use a small one to force many prefill passes). */
    VulkanAttentionKernels(GpuContext gpu, GpuThread thread, int loopBudget) {
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanAttentionKernels");
        this.thread = thread;
        this.loopBudget = loopBudget;
    }

    @Override
    public String name() {
        return "vulkan";
    }

    /** GPU time of the dispatches of the last call, milliseconds (0 without timestamps). */
    public double lastGpuMs() {
        return lastGpuMs;
    }

    /** Tile-list entries one prefill pass folds per invocation for a tile of {@code tileK} keys. */
    int entriesPerPass(int tileK, int dim) {
        return Math.max(1, loopBudget / (2 * tileK * dim + 3 * tileK + dim + 8));
    }

    private <T> T on(Callable<T> task) {
        if (closed) {
            throw new IllegalStateException("VulkanAttentionKernels is closed");
        }
        if (thread != null) {
            return thread.call(task);
        }
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ComputeKernel kernel(String shader, int bindings, int pushBytes, int workgroup) {
        return kernels.get(KernelSpec.of("attention/" + shader, bindings, pushBytes, workgroup));
    }

    /** Buffers and sequences of one call, closed together, newest first. */
    private final class Scratch implements AutoCloseable {
        private final List<AutoCloseable> open = new ArrayList<>();

        GpuBuffer buffer(String name, long bytes) {
            GpuBuffer b = gpu.buffer("attention/" + name, Math.max(4, bytes));
            open.add(b);
            return b;
        }

        GpuBuffer floats(String name, float[] data) {
            return buffer(name, 4L * data.length);
        }

        GpuBuffer ints(String name, int[] data) {
            return buffer(name, 4L * data.length);
        }

        CommandSequence sequence(String name) {
            CommandSequence s = gpu.sequence("attention/" + name);
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

    private static int[] orDummy(int[] a) {
        return a.length == 0 ? new int[1] : a;
    }

    private void eval(CommandSequence s) {
        s.eval();
        lastGpuMs = s.dispatchMs();
    }

    @Override
    public long prefill(PrefillPlan plan, float[] q, float[] k, float[] v, float[] out) {
        int dim = plan.dim();
        if (plan.tileK() > MAX_TILE_K || plan.tileQ() > gpu.maxWorkgroupInvocations()) {
            throw new IllegalArgumentException("Vulkan prefill takes key tiles up to " + MAX_TILE_K
                    + " and query tiles up to " + gpu.maxWorkgroupInvocations() + ", got " + plan.tileK() + " / "
                    + plan.tileQ());
        }
        return on(() -> {
            int items = plan.queryHeads() * plan.queryTiles();
            int maxLen = 0;
            for (int i = 0; i < items; i++) {
                maxLen = Math.max(maxLen, plan.listOffsets()[i + 1] - plan.listOffsets()[i]);
            }
            int perPass = entriesPerPass(plan.tileK(), dim);
            int passes = Math.max(1, (maxLen + perPass - 1) / perPass);
            int[] kinds = new int[plan.queryHeads()];
            for (int h = 0; h < kinds.length; h++) {
                kinds[h] = plan.streaming(h) ? 1 : 0;
            }
            int[] tiles = orDummy(plan.tileList());
            try (Scratch s = new Scratch()) {
                GpuBuffer bq = s.floats("prefill/q", q);
                GpuBuffer bk = s.floats("prefill/k", k);
                GpuBuffer bv = s.floats("prefill/v", v);
                GpuBuffer bStart = s.ints("prefill/listStart", plan.listOffsets());
                GpuBuffer bTiles = s.ints("prefill/tiles", tiles);
                GpuBuffer bKinds = s.ints("prefill/headKind", kinds);
                GpuBuffer bState = s.buffer("prefill/state", 4L * plan.queryHeads() * plan.tokens() * (2 + dim));
                GpuBuffer bOut = s.floats("prefill/out", out);
                CommandSequence seq = s.sequence("prefill").record(Op.upload(bq, q)).record(Op.upload(bk, k))
                        .record(Op.upload(bv, v)).record(Op.upload(bStart, plan.listOffsets()))
                        .record(Op.upload(bTiles, tiles)).record(Op.upload(bKinds, kinds));
                ComputeKernel kernel = kernel("prefill_tiles", 8, 48, plan.tileQ());
                Grid grid = Grid.linear(items, gpu);
                for (int p = 0; p < passes; p++) {
                    int[] push = {plan.tokens(), plan.queryHeads(), plan.kvHeads(), dim, plan.tileQ(), plan.tileK(),
                        plan.sinkTokens(), plan.localTokens(), p * perPass, perPass, p == passes - 1 ? 1 : 0,
                        plan.queryTiles()};
                    seq.record(Op.dispatch(kernel, grid, push, bq, bk, bv, bStart, bTiles, bKinds, bState, bOut));
                }
                eval(seq.record(Op.download(bOut, out)));
            }
            return plan.visitedTiles();
        });
    }

    @Override
    public void pageStats(KvLayout layout, float[] keys, int[] blockTable, int tokens, float[] kmin, float[] kmax) {
        int logicalPages = (tokens + layout.logicalTokens() - 1) / layout.logicalTokens();
        on(() -> {
            try (Scratch s = new Scratch()) {
                GpuBuffer bk = s.floats("stats/keys", keys);
                GpuBuffer bt = s.ints("stats/table", blockTable);
                GpuBuffer bmin = s.floats("stats/kmin", kmin);
                GpuBuffer bmax = s.floats("stats/kmax", kmax);
                int[] push = {tokens, layout.dim(), layout.poolTokens(), layout.pageTokens(), layout.logicalTokens(),
                    layout.poolLogicalPages(), logicalPages};
                Grid grid = new Grid(groups((long) logicalPages * layout.dim(), WG), layout.kvHeads(), 1);
                eval(s.sequence("page_stats").record(Op.upload(bk, keys)).record(Op.upload(bt, blockTable))
                        .record(Op.upload(bmin, kmin)).record(Op.upload(bmax, kmax))
                        .record(Op.dispatch(kernel("page_stats", 4, 28, WG), grid, push, bk, bt, bmin, bmax))
                        .record(Op.download(bmin, kmin)).record(Op.download(bmax, kmax)));
            }
            return null;
        });
    }

    private int groups(long elements, int perGroup) {
        long g = (elements + perGroup - 1) / perGroup;
        if (g > gpu.maxGroups(0)) {
            throw new IllegalArgumentException(g + " workgroups exceed the device's " + gpu.maxGroups(0));
        }
        return (int) Math.max(1, g);
    }

    @Override
    public void scorePages(KvLayout layout, float[] q, float[] kmin, float[] kmax, int[] blockTable, int tokens,
                           float[] scores) {
        int pages = layout.pagesFor(tokens);
        on(() -> {
            try (Scratch s = new Scratch()) {
                GpuBuffer bq = s.floats("score/q", q);
                GpuBuffer bmin = s.floats("score/kmin", kmin);
                GpuBuffer bmax = s.floats("score/kmax", kmax);
                GpuBuffer bt = s.ints("score/table", blockTable);
                GpuBuffer bs = s.floats("score/scores", scores);
                int[] push = {tokens, pages, layout.dim(), layout.groupSize(), layout.pageTokens(),
                    layout.logicalTokens(), layout.poolLogicalPages()};
                Grid grid = new Grid(groups(pages, WG), layout.queryHeads(), 1);
                eval(s.sequence("score_pages").record(Op.upload(bq, q)).record(Op.upload(bmin, kmin))
                        .record(Op.upload(bmax, kmax)).record(Op.upload(bt, blockTable)).record(Op.upload(bs, scores))
                        .record(Op.dispatch(kernel("score_pages", 5, 28, WG), grid, push, bq, bmin, bmax, bt, bs))
                        .record(Op.download(bs, scores)));
            }
            return null;
        });
    }

    @Override
    public int selectPages(KvLayout layout, float[] scores, int tokens, int budgetTokens, int[] selected,
                           int stride) {
        int pages = layout.pagesFor(tokens);
        int count = PageSelection.selectedCount(tokens, budgetTokens, layout.pageTokens());
        if (stride < count) {
            throw new IllegalArgumentException("stride " + stride + " < selected pages " + count);
        }
        if (pages > MAX_SELECT_PAGES) {
            throw new IllegalArgumentException("Vulkan page selection takes up to " + MAX_SELECT_PAGES
                    + " pages per head, got " + pages);
        }
        int wg = Math.min(SELECT_WG, gpu.maxWorkgroupInvocations());
        return on(() -> {
            try (Scratch s = new Scratch()) {
                GpuBuffer bs = s.floats("select/scores", scores);
                GpuBuffer bsel = s.ints("select/selected", selected);
                eval(s.sequence("select_pages").record(Op.upload(bs, scores)).record(Op.upload(bsel, selected))
                        .record(Op.dispatch(kernel("select_pages", 2, 12, wg), new Grid(layout.queryHeads(), 1, 1),
                                new int[] {pages, count - 1, stride}, bs, bsel))
                        .record(Op.download(bsel, selected)));
            }
            return count;
        });
    }

    @Override
    public void decode(KvLayout layout, float[] q, float[] k, float[] v, int[] blockTable, int tokens, int[] pages,
                       int stride, int count, float[] out) {
        if (layout.pageTokens() > MAX_PAGE_TOKENS) {
            throw new IllegalArgumentException("Vulkan decode takes pages up to " + MAX_PAGE_TOKENS + " tokens, got "
                    + layout.pageTokens());
        }
        int dim = layout.dim();
        on(() -> {
            try (Scratch s = new Scratch()) {
                GpuBuffer bq = s.floats("decode/q", q);
                GpuBuffer bk = s.floats("decode/k", k);
                GpuBuffer bv = s.floats("decode/v", v);
                GpuBuffer bt = s.ints("decode/table", blockTable);
                GpuBuffer bp = s.ints("decode/pages", pages);
                GpuBuffer bpart = s.buffer("decode/partials", 4L * layout.queryHeads() * stride * (2 + dim));
                GpuBuffer bo = s.floats("decode/out", out);
                int[] push = {tokens, dim, layout.groupSize(), layout.poolTokens(), layout.pageTokens(), count,
                    stride};
                eval(s.sequence("decode").record(Op.upload(bq, q)).record(Op.upload(bk, k)).record(Op.upload(bv, v))
                        .record(Op.upload(bt, blockTable)).record(Op.upload(bp, pages))
                        .record(Op.dispatch(kernel("decode_partial", 6, 28, WG),
                                new Grid(groups(count, WG), layout.queryHeads(), 1), push, bq, bk, bv, bt, bp, bpart))
                        .record(Op.dispatch(kernel("decode_merge", 2, 12, WG),
                                new Grid(groups(dim, WG), layout.queryHeads(), 1), new int[] {dim, count, stride},
                                bpart, bo))
                        .record(Op.download(bo, out)));
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Runnable free = () -> {
            kernels.close();
        };
        if (thread != null) {
            thread.run(free);
        } else {
            free.run();
        }
        closed = true;
    }
}
