package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.stream.IntStream;
import org.mlsysworkbench.algorithms.graph.CsrGraph;

/**
 * Plain-Java reference of {@link SamplingKernels}. Sampling runs multi-threaded on the common fork-join pool
 * for large hops (the result does not depend on the thread count: draws are {@link CounterRng} values);
 * aggregation is cache-blocked (destinations in tiles, 64 feature columns at a time, partial sums in a
 * small local buffer) as the CPU form of FastGL's memory-aware kernel. One instance per thread.
 */
public final class CpuSamplingKernels implements SamplingKernels {

    /** Destinations per parallel task; smaller hops run on the calling thread. */
    static final int PARALLEL_GRAIN = 2048;
    /** Columns per aggregation tile. */
    static final int COL_TILE = 64;

    private final FusedIdMapper fused = new FusedIdMapper();

    @Override
    public HopSample sampleHop(CsrGraph g, int[] dst, int fanout, boolean replace, int seed) {
        int nd = dst.length;
        int[] offsets = new int[nd + 1];
        long total = 0;
        for (int i = 0; i < nd; i++) {
            int deg = g.degree(dst[i]);
            int c = fanout < 0 ? deg : replace ? (deg == 0 ? 0 : fanout) : Math.min(fanout, deg);
            total += c;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("hop would sample " + total + "+ edges; lower the fanout ("
                        + fanout + ") or the batch size (" + nd + ")");
            }
            offsets[i + 1] = (int) total;
        }
        int[] edgeSrc = new int[(int) total];
        if (nd >= 2 * PARALLEL_GRAIN) {
            IntStream.range(0, (nd + PARALLEL_GRAIN - 1) / PARALLEL_GRAIN).parallel().forEach(t ->
                    sampleRange(g, dst, fanout, replace, seed, offsets, edgeSrc, t * PARALLEL_GRAIN,
                            Math.min(nd, (t + 1) * PARALLEL_GRAIN)));
        } else {
            sampleRange(g, dst, fanout, replace, seed, offsets, edgeSrc, 0, nd);
        }
        return new HopSample(dst, offsets, edgeSrc);
    }

    private static void sampleRange(CsrGraph g, int[] dst, int fanout, boolean replace, int seed, int[] offsets,
                                    int[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            int v = dst[i];
            int deg = g.degree(v);
            long start = g.rowStart(v);
            int o = offsets[i];
            int count = offsets[i + 1] - o;
            if (count == 0) {
                continue;
            }
            if (fanout < 0 || (!replace && deg <= fanout)) {
                for (int k = 0; k < deg; k++) {
                    out[o + k] = g.neighbourAt(start + k);
                }
            } else if (replace) {
                for (int k = 0; k < count; k++) {
                    out[o + k] = g.neighbourAt(start + CounterRng.below(CounterRng.draw(seed, v, k), deg));
                }
            } else {
                // Floyd: for j = deg - fanout .. deg - 1 draw t in [0, j]; take t unless taken, else take j.
                // Rows hold distinct ids, so membership of a position equals membership of its id.
                int filled = 0;
                for (int j = deg - count; j < deg; j++) {
                    int t = CounterRng.below(CounterRng.draw(seed, v, j), j + 1);
                    int id = g.neighbourAt(start + t);
                    for (int s = 0; s < filled; s++) {
                        if (out[o + s] == id) {
                            id = g.neighbourAt(start + j);
                            break;
                        }
                    }
                    out[o + filled++] = id;
                }
            }
        }
    }

    @Override
    public Block fusedMap(HopSample hop) {
        return fused.map(hop);
    }

    @Override
    public void aggregateMean(Block block, float[] x, int dim, float[] out) {
        int nd = block.numDst();
        int[] off = block.offsets();
        int[] src = block.srcLocal();
        float[] acc = new float[COL_TILE];
        for (int c0 = 0; c0 < dim; c0 += COL_TILE) {
            int w = Math.min(COL_TILE, dim - c0);
            for (int i = 0; i < nd; i++) {
                int a = off[i];
                int b = off[i + 1];
                int o = i * dim + c0;
                if (a == b) {
                    System.arraycopy(x, o, out, o, w);
                    continue;
                }
                java.util.Arrays.fill(acc, 0, w, 0f);
                for (int e = a; e < b; e++) {
                    int base = src[e] * dim + c0;
                    for (int c = 0; c < w; c++) {
                        acc[c] += x[base + c];
                    }
                }
                float inv = 1f / (b - a);
                for (int c = 0; c < w; c++) {
                    out[o + c] = acc[c] * inv;
                }
            }
        }
    }
}
