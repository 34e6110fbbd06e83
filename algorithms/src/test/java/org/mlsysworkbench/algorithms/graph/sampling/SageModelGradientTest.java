package org.mlsysworkbench.algorithms.graph.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;

/** The hand-written backward pass against central finite differences, for both aggregation orders. */
class SageModelGradientTest {

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void gradientsMatchFiniteDifferences(Aggregation agg) {
        CsrGraph g = RmatGenerator.generate(RmatGenerator.Params.graph500(7, 3), 4);
        SplittableRandom r = new SplittableRandom(1);
        int[] seeds = NeighbourSamplerPropertyTest.distinctSeeds(g.numNodes(), 6, r);
        SampledBatch batch = new NeighbourSampler(g, new int[] {3, 2}, false, new CpuSamplingKernels(), null)
                .sample(seeds, 3, 0, null);
        int[] dims = {5, 4, 3};
        float[] x = new float[batch.inputNodes().length * dims[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = {0, 1, 2, 1, -1, 0};
        SageModel m = new SageModel(dims, agg, new CpuSamplingKernels(), new SplittableRandom(2));
        m.forward(batch, x, 0, null);
        m.backward(labels);
        float[][][] params = m.parameters();
        float[][][] grads = m.gradients();
        int checked = 0;
        double eps = 1e-2;
        for (int kind = 0; kind < 3; kind++) {
            for (int l = 0; l < 2; l++) {
                float[] w = params[kind][l];
                float[] gcopy = grads[kind][l].clone();
                for (int i = 0; i < w.length; i++) {
                    float old = w[i];
                    w[i] = (float) (old + eps);
                    m.forward(batch, x, 0, null);
                    double up = m.backward(labels);
                    w[i] = (float) (old - eps);
                    m.forward(batch, x, 0, null);
                    double down = m.backward(labels);
                    w[i] = old;
                    double numeric = (up - down) / (2 * eps);
                    // float32 loss: absolute 2e-4 plus 2% of the gradient
                    assertThat(gcopy[i]).as(agg + " kind " + kind + " layer " + l + " index " + i)
                            .isCloseTo((float) numeric, org.assertj.core.api.Assertions.within(
                                    (float) (2e-4 + 0.02 * Math.abs(numeric))));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(2 * (5 * 4 + 4 * 3) + 4 + 3);
    }
}
