package org.mlsysworkbench.algorithms.graph.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;

/** Match (three disjoint row sources), static cache, reorder and the aggregation kernel. */
class FeatureMovementTest {

    private static List<int[]> epochInputs(CsrGraph g, int batches, int batchSize, long seed) {
        NeighbourSampler s = new NeighbourSampler(g, new int[] {5, 10}, false, new CpuSamplingKernels(), null);
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> inputs = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            inputs.add(s.sample(NeighbourSamplerPropertyTest.distinctSeeds(g.numNodes(), batchSize, r), seed, b, null)
                    .inputNodes());
        }
        return inputs;
    }

    @Test
    void everyAssembledRowEqualsItsSourceRowWhateverServedIt() {
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.productsLike(11), 2);
        int n = g.numNodes();
        int dim = 6;
        float[] feat = new float[n * dim];
        for (int i = 0; i < feat.length; i++) {
            feat[i] = i * 0.5f;
        }
        List<int[]> inputs = epochInputs(g, 8, 64, 5);
        StaticFeatureCache cache = StaticFeatureCache.presample(feat, dim, n, 0.1, inputs);
        assertThat(cache.capacity()).isEqualTo(n / 10);
        FeatureLoader loader = new FeatureLoader(feat, dim, n, cache, true);
        long cached = 0;
        long previous = 0;
        long naive = 0;
        long moved = 0;
        for (int[] in : inputs) {
            float[] out = new float[in.length * dim];
            FeatureLoader.Stats st = loader.assemble(in, out);
            assertThat(st.fromCache() + st.fromPrevious() + st.fromHost()).isEqualTo(in.length);
            assertThat(st.hostToDeviceBytes()).isEqualTo(4L * dim * st.fromHost());
            for (int p = 0; p < in.length; p++) {
                for (int c = 0; c < dim; c++) {
                    assertThat(out[p * dim + c]).isEqualTo(feat[in[p] * dim + c]);
                }
            }
            cached += st.fromCache();
            previous += st.fromPrevious();
            naive += st.naiveBytes();
            moved += st.hostToDeviceBytes();
        }
        assertThat(cached).isPositive();
        assertThat(previous).isPositive();
        assertThat(moved).isLessThan(naive);
        // without cache and match every row crosses the bus
        FeatureLoader plain = new FeatureLoader(feat, dim, n, StaticFeatureCache.empty(n), false);
        long plainBytes = 0;
        for (int[] in : inputs) {
            plainBytes += plain.assemble(in, new float[in.length * dim]).hostToDeviceBytes();
        }
        assertThat(plainBytes).isEqualTo(naive);
    }

    @Test
    void greedyChainIsAPermutationAndRaisesConsecutiveOverlap() {
        // clustered batches: batch b draws its seeds from a window that moves with b, then the order is shuffled
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.productsLike(12), 3);
        int n = g.numNodes();
        NeighbourSampler s = new NeighbourSampler(g, new int[] {3}, false, new CpuSamplingKernels(), null);
        List<int[]> inputs = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(9);
        int k = 16;
        for (int b = 0; b < k; b++) {
            int[] seeds = new int[100];
            for (int i = 0; i < 100; i++) {
                seeds[i] = b * 200 + i * 2;
            }
            inputs.add(s.sample(seeds, 1, b, null).inputNodes());
        }
        // shuffle the batch order
        for (int i = k - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int[] t = inputs.get(i);
            inputs.set(i, inputs.get(j));
            inputs.set(j, t);
        }
        double[][] m = BatchReorder.overlapMatrix(inputs, n);
        for (int i = 0; i < k; i++) {
            assertThat(m[i][i]).isEqualTo(1.0);
            for (int j = 0; j < k; j++) {
                assertThat(m[i][j]).isEqualTo(m[j][i]).isBetween(0.0, 1.0);
            }
        }
        // M[0][1] by definition: |S_0 ∩ S_1| / |S_1|
        java.util.Set<Integer> s0 = new java.util.HashSet<>();
        for (int v : inputs.get(0)) {
            s0.add(v);
        }
        long common = java.util.Arrays.stream(inputs.get(1)).filter(s0::contains).count();
        assertThat(m[0][1]).isCloseTo((double) common / inputs.get(1).length, within(1e-12));
        int[] order = BatchReorder.greedyChain(m);
        assertThat(java.util.Arrays.stream(order).sorted().toArray()).containsExactly(BatchReorder.identity(k));
        assertThat(order[0]).isZero();
        double before = BatchReorder.meanConsecutiveOverlap(m, BatchReorder.identity(k));
        double after = BatchReorder.meanConsecutiveOverlap(m, order);
        assertThat(after).isGreaterThanOrEqualTo(before);
        assertThat(after).isGreaterThan(before + 0.02);
    }

    @Test
    void aggregationEqualsDenseMeanOverTheBlock() {
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.graph500(10, 8), 4);
        SplittableRandom r = new SplittableRandom(3);
        SampledBatch batch = new NeighbourSampler(g, new int[] {7}, false, new CpuSamplingKernels(), null)
                .sample(NeighbourSamplerPropertyTest.distinctSeeds(g.numNodes(), 200, r), 1, 0, null);
        Block b = batch.blocks().get(0);
        int dim = 150; // spans three 64-column tiles
        float[] x = new float[b.numSrc() * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] out = new float[b.numDst() * dim];
        new CpuSamplingKernels().aggregateMean(b, x, dim, out);
        for (int i = 0; i < b.numDst(); i++) {
            for (int c = 0; c < dim; c++) {
                double ref = 0;
                int deg = b.degree(i);
                for (int e = b.offsets()[i]; e < b.offsets()[i + 1]; e++) {
                    ref += x[b.srcLocal()[e] * dim + c];
                }
                ref = deg == 0 ? x[i * dim + c] : ref / deg;
                // relative error 1e-5 (spec sheet), with an absolute floor for values near zero
                assertThat((double) out[i * dim + c]).isCloseTo(ref, within(1e-5 * Math.max(1, Math.abs(ref))));
            }
        }
    }
}
