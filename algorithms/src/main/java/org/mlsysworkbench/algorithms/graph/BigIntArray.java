package org.mlsysworkbench.algorithms.graph;

import java.util.Arrays;

/** An int array addressed by long positions, in chunks of {@code 2^chunkBits}; the CSR builder's scratch. */
final class BigIntArray {

    final int chunkBits;
    final long mask;
    final int[][] chunks;
    final long length;

    BigIntArray(long length, int chunkBits) {
        this.chunkBits = chunkBits;
        this.mask = (1L << chunkBits) - 1;
        this.length = length;
        int full = (int) (length >>> chunkBits);
        int rest = (int) (length & mask);
        chunks = new int[full + (rest > 0 || full == 0 ? 1 : 0)][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new int[i < full ? 1 << chunkBits : rest];
        }
    }

    int get(long i) {
        return chunks[(int) (i >>> chunkBits)][(int) (i & mask)];
    }

    void set(long i, int v) {
        chunks[(int) (i >>> chunkBits)][(int) (i & mask)] = v;
    }

    /** Sorts {@code [from, to)} ascending; the range may span chunks. */
    void sort(long from, long to) {
        int ci = (int) (from >>> chunkBits);
        if (ci == (int) ((to - 1) >>> chunkBits) || to <= from) {
            if (to > from) {
                Arrays.sort(chunks[ci], (int) (from & mask), (int) (((to - 1) & mask) + 1));
            }
            return;
        }
        int[] tmp = new int[(int) (to - from)];
        for (int k = 0; k < tmp.length; k++) {
            tmp[k] = get(from + k);
        }
        Arrays.sort(tmp);
        for (int k = 0; k < tmp.length; k++) {
            set(from + k, tmp[k]);
        }
    }

    /** A copy of the first {@code n} values in chunks of the same size (the last chunk exact). */
    int[][] trimmedChunks(long n) {
        BigIntArray out = new BigIntArray(n, chunkBits);
        for (int i = 0; i < out.chunks.length; i++) {
            System.arraycopy(chunks[i], 0, out.chunks[i], 0, out.chunks[i].length);
        }
        return out.chunks;
    }
}
