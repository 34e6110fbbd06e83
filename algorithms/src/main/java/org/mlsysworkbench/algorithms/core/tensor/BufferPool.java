package org.mlsysworkbench.algorithms.core.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles the arrays behind intermediate tensors between training steps. A {@link Tape} opened with a
 * pool takes every op output, intermediate gradient and scratch buffer from it, and gives them all back
 * when it closes; the next step then finds arrays of exactly the sizes it needs, so a steady training
 * loop allocates almost nothing.
 *
 * <p>Arrays are handed out zero-filled. Not thread-safe: one pool per training loop (thread).
 */
public final class BufferPool {

    private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> doubles = new HashMap<>();
    private long allocations;

    /** A zero-filled {@code float[n]}, recycled when one is free. */
    public float[] takeFloats(int n) {
        ArrayDeque<float[]> q = floats.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a == null) {
            allocations++;
            return new float[n];
        }
        Arrays.fill(a, 0f);
        return a;
    }

    /** A zero-filled {@code double[n]}, recycled when one is free. */
    public double[] takeDoubles(int n) {
        ArrayDeque<double[]> q = doubles.get(n);
        double[] a = q == null ? null : q.pollLast();
        if (a == null) {
            allocations++;
            return new double[n];
        }
        Arrays.fill(a, 0.0);
        return a;
    }

    void give(float[] a) {
        floats.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
    }

    void give(double[] a) {
        doubles.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
    }

    /** How many arrays this pool has created so far: flat once a loop reaches its steady state. */
    public long allocations() {
        return allocations;
    }

    /** Number of free arrays held. */
    public int freeArrays() {
        int n = 0;
        for (ArrayDeque<float[]> q : floats.values()) {
            n += q.size();
        }
        for (ArrayDeque<double[]> q : doubles.values()) {
            n += q.size();
        }
        return n;
    }
}
