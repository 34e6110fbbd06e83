package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.Arrays;

/**
 * Assembles a batch's input feature matrix the FastGL way (Match): every row comes from exactly one of three
 * disjoint sources, checked in this order,
 * <ol>
 *   <li>the static cache ({@link StaticFeatureCache}): already on the device, no transfer;</li>
 *   <li>the previous batch's feature matrix, still on the device (when {@code match} is on): a
 *       device-to-device row copy, no host transfer;</li>
 *   <li>the host feature table: a CPU gather plus a host-to-device copy of {@code dim * 4} bytes.</li>
 * </ol>
 * After each batch the previous-batch positions are refreshed (the artifact's bookkeeping bug, pitfall 5 of
 * the spec sheet, is not reproduced). Byte accounting is exact: {@link Stats#hostToDeviceBytes} counts the
 * feature rows that cross the bus. On the CPU backend the "device" is this object's memory, so the copies
 * are real and the assembled rows are verifiable. Not thread-safe.
 */
public final class FeatureLoader {

    /** Where one batch's rows came from. */
    public record Stats(int rows, int fromCache, int fromPrevious, int fromHost, long hostToDeviceBytes,
                        long naiveBytes) {

        /** Fraction of rows that did not cross the bus. */
        public double reuseRatio() {
            return rows == 0 ? 0 : (double) (fromCache + fromPrevious) / rows;
        }
    }

    private final float[] features;
    private final int dim;
    private final StaticFeatureCache cache;
    private final boolean match;
    private final int[] prevPos;
    private int[] prevNodes = new int[0];
    private float[] prevRows = new float[0];

    public FeatureLoader(float[] features, int dim, int numNodes, StaticFeatureCache cache, boolean match) {
        this.features = features;
        this.dim = dim;
        this.cache = cache;
        this.match = match;
        this.prevPos = new int[numNodes];
        Arrays.fill(prevPos, -1);
    }

    /** Forgets the previous batch (a new epoch starts with nothing on the device but the cache). */
    public void reset() {
        for (int v : prevNodes) {
            prevPos[v] = -1;
        }
        prevNodes = new int[0];
        prevRows = new float[0];
    }

    /**
     * Assembles {@code out[p * dim ..]} = features of {@code nodes[p]}, returning where the rows came from.
     * {@code out} must hold {@code nodes.length * dim} floats and must not be the array returned for the
     * previous batch; the loader keeps {@code out} as the next batch's "previous" matrix.
     */
    public Stats assemble(int[] nodes, float[] out) {
        int fromCache = 0;
        int fromPrev = 0;
        int fromHost = 0;
        float[] cacheRows = cache.rows();
        for (int p = 0; p < nodes.length; p++) {
            int v = nodes[p];
            int s = cache.slot(v);
            if (s >= 0) {
                System.arraycopy(cacheRows, s * dim, out, p * dim, dim);
                fromCache++;
                continue;
            }
            int q = match ? prevPos[v] : -1;
            if (q >= 0) {
                System.arraycopy(prevRows, q * dim, out, p * dim, dim);
                fromPrev++;
            } else {
                System.arraycopy(features, v * dim, out, p * dim, dim);
                fromHost++;
            }
        }
        if (match) {
            for (int v : prevNodes) {
                prevPos[v] = -1;
            }
            for (int p = 0; p < nodes.length; p++) {
                prevPos[nodes[p]] = p;
            }
            prevNodes = nodes;
            prevRows = out;
        }
        long rowBytes = 4L * dim;
        return new Stats(nodes.length, fromCache, fromPrev, fromHost, fromHost * rowBytes, nodes.length * rowBytes);
    }
}
