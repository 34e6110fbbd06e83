package org.mlsysworkbench.algorithms.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The CPU twins against definitions written the slow, obvious way. */
class CpuGenericKernelsTest {

    private final CpuGenericKernels k = new CpuGenericKernels();

    @Test
    void scanAndCompact() {
        assertThat(k.exclusiveScan(new int[] {3, 1, 4, 1, 5})).containsExactly(0, 3, 4, 8, 9);
        assertThat(k.exclusiveScan(new int[] {Integer.MAX_VALUE, 1, 0})).containsExactly(0, Integer.MAX_VALUE,
                Integer.MIN_VALUE);
        assertThat(k.exclusiveScan(new int[0])).isEmpty();
        assertThat(k.compact(new int[] {10, 20, 30, 40}, new int[] {1, 0, -3, 0})).containsExactly(10, 30);
        assertThatThrownBy(() -> k.compact(new int[2], new int[3])).hasMessageContaining("2 values but 3 flags");
    }

    @Test
    void gatherScatterRoundTripAPermutation() {
        float[] v = {0.5f, -1f, 2f, 8f};
        int[] perm = {2, 0, 3, 1};
        float[] scattered = k.scatter(v, perm, 4);
        assertThat(scattered).containsExactly(-1f, 8f, 0.5f, 2f);
        assertThat(k.gather(scattered, perm)).containsExactly(v);
        assertThat(k.scatter(new float[] {7f}, new int[] {2}, 4)).containsExactly(0f, 0f, 7f, 0f);
        assertThatThrownBy(() -> k.gather(v, new int[] {4})).hasMessageContaining("indices[0] = 4");
        assertThatThrownBy(() -> k.scatter(v, new int[] {0, 1, 1, 2}, 4)).hasMessageContaining("indices[2] = 1");
    }

    @Test
    void topKEqualsAFullSortByKeyThenIndex() {
        SplittableRandom r = new SplittableRandom(11);
        float[] v = new float[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(50) - 25;   // many ties
        }
        v[5] = Float.NaN;
        v[6] = Float.NEGATIVE_INFINITY;
        v[7] = -0.0f;
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> Integer.toUnsignedLong(GenericKernels.sortKey(v[i])))
                .reversed().thenComparingInt(i -> i));
        for (int kk : new int[] {0, 1, 17, 3000, 5000}) {
            int[] expected = Arrays.stream(order).limit(kk).mapToInt(Integer::intValue).toArray();
            assertThat(k.topK(v, kk)).as("k=%d", kk).containsExactly(expected);
        }
        assertThat(k.topK(v, 1)).containsExactly(5);   // NaN above every number
        assertThat(GenericKernels.sortKey(-0.0f)).isNotEqualTo(GenericKernels.sortKey(0.0f));
    }

    @Test
    void histogramBinsAndEdges() {
        float[] v = {-1f, -0.5f, 0f, 0.49f, 0.5f, 1f, 1.01f, Float.NaN, -2f};
        // 4 bins over [-1, 1]: width 0.5; 1 goes to the last bin; out-of-range and NaN are skipped
        assertThat(k.histogram(v, -1f, 1f, 4)).containsExactly(1, 1, 2, 2);
        assertThat(k.histogram(new float[0], 0f, 1f, 3)).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> k.histogram(v, 1f, 0f, 4)).hasMessageContaining("lo < hi");
        assertThatThrownBy(() -> k.histogram(v, 0f, 1f, 0)).hasMessageContaining("bins must be >= 1");
    }
}
