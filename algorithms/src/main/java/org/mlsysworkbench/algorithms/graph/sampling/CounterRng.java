package org.mlsysworkbench.algorithms.graph.sampling;

/**
 * A counter-based 32-bit random function: {@code draw(seed, node, k)} depends only on its arguments, so
 * every thread (a Java worker or a GPU invocation) draws the same number for the same neighbour slot, and
 * sampling is reproducible whatever the thread count or scheduling. Built from Wellons' "lowbias32"
 * integer hash, which uses only 32-bit unsigned multiply, xor and shift, so the GLSL kernel
 * {@code graph/sample_neighbors.comp} computes bit-identical values. Stateless and thread-safe.
 */
public final class CounterRng {

    private CounterRng() {
    }

    /** Wellons' lowbias32: {@code x ^= x>>>16; x *= 0x7feb352d; x ^= x>>>15; x *= 0x846ca68b; x ^= x>>>16}. */
    public static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** The random 32 bits of slot {@code k} of node {@code node} under {@code seed}. */
    public static int draw(int seed, int node, int k) {
        return mix(seed ^ mix(node ^ mix(k * 0x9E3779B9 + 0x632BE5AB)));
    }

    /** A uniform integer in {@code [0, bound)} from 32 random bits: {@code (bits * bound) >> 32}, unsigned. */
    public static int below(int bits, int bound) {
        return (int) ((Integer.toUnsignedLong(bits) * bound) >>> 32);
    }

    /** A 32-bit seed for one batch and hop, derived from the run seed. */
    public static int hopSeed(long runSeed, long batch, int hop) {
        int s = mix((int) runSeed ^ mix((int) (runSeed >>> 32)));
        s = mix(s ^ mix((int) batch) ^ mix((int) (batch >>> 32) + 0x1234567));
        return mix(s ^ (hop + 1) * 0x85EBCA6B);
    }
}
