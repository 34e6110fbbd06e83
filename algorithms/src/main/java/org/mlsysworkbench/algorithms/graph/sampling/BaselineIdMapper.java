package org.mlsysworkbench.algorithms.graph.sampling;

import java.util.Arrays;

/**
 * DGL's {@code to_block} path as the baseline: collect every id (destinations and sampled sources), sort and
 * unique them, then map each id by binary search. Three passes over the edges plus an
 * {@code O(E log E)} sort. New sources get local ids in ascending global-id order, after the destinations.
 */
public final class BaselineIdMapper implements IdMapper {

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public Block map(HopSample hop) {
        int[] dst = hop.dst();
        int nd = dst.length;
        int ne = hop.numEdges();
        int[] edgeSrc = hop.edgeSrc();
        // 1. collect
        int[] all = new int[nd + ne];
        System.arraycopy(dst, 0, all, 0, nd);
        System.arraycopy(edgeSrc, 0, all, nd, ne);
        // 2. sort and unique
        Arrays.sort(all);
        int u = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[u++] = all[i];
            }
        }
        // 3. local ids: destinations first, in order, then the rest ascending
        int[] localOf = new int[u];
        Arrays.fill(localOf, -1);
        for (int i = 0; i < nd; i++) {
            localOf[Arrays.binarySearch(all, 0, u, dst[i])] = i;
        }
        int[] srcNodes = new int[u];
        System.arraycopy(dst, 0, srcNodes, 0, nd);
        int next = nd;
        for (int p = 0; p < u; p++) {
            if (localOf[p] < 0) {
                localOf[p] = next;
                srcNodes[next++] = all[p];
            }
        }
        // 4. map every edge
        int[] srcLocal = new int[ne];
        for (int e = 0; e < ne; e++) {
            srcLocal[e] = localOf[Arrays.binarySearch(all, 0, u, edgeSrc[e])];
        }
        return new Block(nd, srcNodes, hop.offsets(), srcLocal);
    }
}
