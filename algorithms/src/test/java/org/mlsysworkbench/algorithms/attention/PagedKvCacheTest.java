package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PagedKvCacheTest {

    @Test
    void statisticsFollowAppendsAcrossLogicalAndPhysicalPageBoundaries() {
        int heads = 2;
        int dim = 3;
        PagedKvCache cache = new PagedKvCache(heads, dim, 8, 4, 4, new int[] {2, 0, 3, 1});
        SplittableRandom r = new SplittableRandom(7);
        float[][] keys = new float[19][];
        for (int t = 0; t < 19; t++) {
            keys[t] = AttentionReference.gaussian(r, heads * dim);
            cache.append(keys[t], 0, keys[t], 0);
            // after every append, every logical page's bounds equal the brute-force min/max of its tokens so far
            for (int h = 0; h < heads; h++) {
                for (int j = 0; j <= t / 4; j++) {
                    for (int d = 0; d < dim; d++) {
                        float mn = Float.POSITIVE_INFINITY;
                        float mx = Float.NEGATIVE_INFINITY;
                        for (int u = j * 4; u <= Math.min(t, j * 4 + 3); u++) {
                            mn = Math.min(mn, keys[u][h * dim + d]);
                            mx = Math.max(mx, keys[u][h * dim + d]);
                        }
                        assertThat(cache.keyMin(h, j, d)).isEqualTo(mn);
                        assertThat(cache.keyMax(h, j, d)).isEqualTo(mx);
                    }
                }
            }
        }
        assertThat(cache.pages()).isEqualTo(3);
        assertThat(cache.blockTable()).containsExactly(2, 0, 3);
        assertThat(cache.kvBytesUsed()).isEqualTo(2L * heads * 3 * 8 * dim * 4);
        assertThat(cache.statBytesUsed()).isEqualTo(2L * heads * 3 * 2 * dim * 4);
        float[] k = new float[heads * dim];
        cache.append(k, 0, k, 0);
        assertThat(cache.keyMin(0, 4, 0)).isEqualTo(Math.min(keys[16][0], Math.min(keys[17][0],
                Math.min(keys[18][0], 0f))));
    }

    @Test
    void poolExhaustionIsReportedNotCorrupting() {
        PagedKvCache cache = new PagedKvCache(1, 2, 4, 2, 2, null);
        float[] k = {1, 2};
        for (int i = 0; i < 8; i++) {
            cache.append(k, 0, k, 0);
        }
        assertThatThrownBy(() -> cache.append(k, 0, k, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KV pool exhausted: 2 pages of 4 tokens");
        assertThat(cache.tokens()).isEqualTo(8);
    }

    @Test
    void streamingRingKeepsSinkAndWindowAndMatchesMaskedAttention() {
        int dim = 4;
        StreamingKvCache ring = new StreamingKvCache(1, dim, 6, 10, 4);
        assertThat(ring.sinkPages()).isEqualTo(2);
        assertThat(ring.localPages()).isEqualTo(4); // ceil(10/4) + 1
        assertThat(ring.slot(7)).isEqualTo(2 + (7 - 2) % 4);
        SplittableRandom r = new SplittableRandom(8);
        int tokens = 57;
        float[] keys = AttentionReference.gaussian(r, tokens * dim);
        float[] values = AttentionReference.gaussian(r, tokens * dim);
        float[] q = AttentionReference.gaussian(r, dim);
        for (int t = 0; t < tokens; t++) {
            ring.append(keys, t * dim, values, t * dim);
        }
        float[] out = new float[dim];
        ring.attend(0, q, 0, 0.5f, out, 0, new float[2], new float[dim], new float[4]);
        double[] s = new double[tokens];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < tokens; j++) {
            if (StreamingKvCache.visible(tokens - 1, j, 6, 10)) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += q[d] * keys[j * dim + d];
                }
                s[j] = dot * 0.5;
                max = Math.max(max, s[j]);
            } else {
                s[j] = Double.NEGATIVE_INFINITY;
            }
        }
        double sum = 0;
        double[] o = new double[dim];
        for (int j = 0; j < tokens; j++) {
            double p = s[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
            sum += p;
            for (int d = 0; d < dim; d++) {
                o[d] += p * values[j * dim + d];
            }
        }
        for (int d = 0; d < dim; d++) {
            assertThat((double) out[d]).isCloseTo(o[d] / sum, org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(ring.kvBytes()).isEqualTo(2L * 6 * 4 * dim * 4);
    }
}
