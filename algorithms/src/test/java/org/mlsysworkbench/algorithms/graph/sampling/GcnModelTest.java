package org.mlsysworkbench.algorithms.graph.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsysworkbench.algorithms.core.tensor.CsrMatrix;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.GradCheck;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;

/**
 * GCN on sampled blocks: the block matrix against the dense formula with block-local degrees, the two
 * aggregation orders against each other, and the whole model's gradients against finite differences.
 */
class GcnModelTest {

    private static SampledBatch batch(int[] fanouts, int numSeeds, long seed) {
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.graph500(8, 4), 4);
        SplittableRandom r = new SplittableRandom(seed);
        int[] seeds = NeighbourSamplerPropertyTest.distinctSeeds(g.numNodes(), numSeeds, r);
        return new NeighbourSampler(g, fanouts, false, new CpuSamplingKernels(), null).sample(seeds, 3, 0, null);
    }

    private static double[] randn(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(GcnModel.Norm.class)
    void blockMatrixEqualsTheDenseFormulaWithBlockLocalDegrees(GcnModel.Norm norm) {
        SampledBatch b = batch(new int[] {4, 6}, 12, 1);
        for (Block k : b.blocks()) {
            int nd = k.numDst();
            int ns = k.numSrc();
            // dense Â = A + I on the block: A[i][u] = 1 for every sampled edge u -> i, I on the destinations
            double[][] a = new double[nd][ns];
            for (int i = 0; i < nd; i++) {
                a[i][i] += 1;
                for (int e = k.offsets()[i]; e < k.offsets()[i + 1]; e++) {
                    a[i][k.srcLocal()[e]] += 1;
                }
            }
            double[] inDeg = new double[nd];
            double[] outDeg = new double[ns];
            for (int i = 0; i < nd; i++) {
                for (int u = 0; u < ns; u++) {
                    inDeg[i] += a[i][u];
                    outDeg[u] += a[i][u];
                }
            }
            int dim = 5;
            double[] x = randn(ns * dim, new SplittableRandom(7));
            double[] expected = new double[nd * dim];
            for (int i = 0; i < nd; i++) {
                for (int u = 0; u < ns; u++) {
                    if (a[i][u] == 0) {
                        continue;
                    }
                    double w = norm == GcnModel.Norm.BOTH ? a[i][u] / Math.sqrt(inDeg[i] * outDeg[u])
                            : a[i][u] / inDeg[i];
                    for (int c = 0; c < dim; c++) {
                        expected[i * dim + c] += w * x[u * dim + c];
                    }
                }
            }
            CsrMatrix m = GcnModel.blockMatrix(k, norm);
            assertThat(m.rows()).isEqualTo(nd);
            assertThat(m.cols()).isEqualTo(ns);
            assertThat(m.nnz()).isEqualTo(k.numEdges() + nd);
            double[] got = m.matmul(Tensor.of(x, ns, dim)).doubles();
            for (int i = 0; i < expected.length; i++) {
                // spec sheet's validation target: relative error 1e-5 (float32 weights, double products)
                assertThat(got[i]).isCloseTo(expected[i],
                        org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void naiveAndMemoryAwareOrdersComputeTheSameLogits() {
        SampledBatch b = batch(new int[] {5, 5}, 20, 2);
        int[] dims = {16, 8, 4};
        float[] x = new float[b.inputNodes().length * dims[0]];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (GcnModel.Norm norm : GcnModel.Norm.values()) {
            float[] naive = new GcnModel(dims, Aggregation.NAIVE, norm, 0.01, 0, new SplittableRandom(9))
                    .predict(b, x);
            float[] aware = new GcnModel(dims, Aggregation.MEMORY_AWARE, norm, 0.01, 0, new SplittableRandom(9))
                    .predict(b, x);
            assertThat(aware).hasSize(b.seeds().length * dims[2]);
            for (int i = 0; i < naive.length; i++) {
                // same weights (same init stream); float32 sums in another order: 1e-4 of the magnitude
                assertThat(aware[i]).as(norm + " " + i).isCloseTo(naive[i],
                        org.assertj.core.api.Assertions.within(1e-4f * Math.max(1f, Math.abs(naive[i]))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void gradientsMatchFiniteDifferences(Aggregation order) {
        SampledBatch b = batch(new int[] {3, 4, 2}, 6, 4);
        int[] dims = {5, 4, 4, 3};
        double[] x = randn(b.inputNodes().length * dims[0], new SplittableRandom(5));
        int[] labels = {0, 1, 2, 1, 2, 0};
        for (GcnModel.Norm norm : GcnModel.Norm.values()) {
            GcnModel m = new GcnModel(dims, order, norm, 0.01, 0, new SplittableRandom(6), DType.F64);
            Tensor input = Tensor.of(x, b.inputNodes().length, dims[0]);
            GradCheck.Result res = GradCheck.check(() -> Nn.crossEntropy(m.forward(b, input, 0, null), labels),
                    m.parameters(), 40, 11, true);
            // the tensor engine's bar for every op: relative error <= 1e-5 in double precision
            assertThat(res.passes(1e-5)).as(order + " " + norm + ": " + res).isTrue();
            assertThat(res.checked()).isEqualTo(5 * 4 + 4 + 4 * 4 + 4 + 4 * 3 + 3);
        }
    }

    @Test
    void trainingStepsLowerTheLossOnAFixedBatch() {
        SampledBatch b = batch(new int[] {5, 5}, 24, 8);
        int[] dims = {8, 16, 3};
        float[] x = new float[b.inputNodes().length * dims[0]];
        int[] labels = new int[b.seeds().length];
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        // the seeds' own rows carry their label: the self-loop lets the model read them
        for (int i = 0; i < labels.length; i++) {
            x[i * dims[0] + labels[i]] += 3;
        }
        GcnModel m = new GcnModel(dims, Aggregation.MEMORY_AWARE, GcnModel.Norm.BOTH, 0.05, 0,
                new SplittableRandom(1));
        double first = m.trainStep(b, x, labels, 0, null, null);
        double last = first;
        for (int step = 0; step < 30; step++) {
            last = m.trainStep(b, x, labels, 0, null, null);
        }
        assertThat(last).isLessThan(0.5 * first);
        int[] pred = SageModel.argmax(m.predict(b, x), 3);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += pred[i] == labels[i] ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(labels.length - 2);
    }
}
