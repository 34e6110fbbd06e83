package org.mlsysworkbench.algorithms.graph.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Planetoid-style random splits for graphs that ship without one (the gnn-benchmark npz, generated
 * graphs): {@code perClass} training nodes from each class, then {@code numVal} and {@code numTest} nodes
 * drawn from the rest. Deterministic for a seed.
 */
public final class Splits {

    private Splits() {
    }

    /** The three ascending id arrays: {@code [train, val, test]}. Nodes with label -1 are never chosen. */
    public static int[][] planetoidStyle(int[] labels, int numClasses, int perClass, int numVal, int numTest,
                                         long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] taken = new int[numClasses];
        boolean[] used = new boolean[n];
        List<Integer> train = new ArrayList<>();
        for (int v : order) {
            int y = labels[v];
            if (y >= 0 && taken[y] < perClass) {
                taken[y]++;
                used[v] = true;
                train.add(v);
            }
        }
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int v : order) {
            if (used[v] || labels[v] < 0) {
                continue;
            }
            if (val.size() < numVal) {
                val.add(v);
            } else if (test.size() < numTest) {
                test.add(v);
            }
        }
        return new int[][] {sorted(train), sorted(val), sorted(test)};
    }

    private static int[] sorted(List<Integer> ids) {
        int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
