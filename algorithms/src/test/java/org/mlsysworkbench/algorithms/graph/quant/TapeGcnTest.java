package org.mlsysworkbench.algorithms.graph.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;

/**
 * The GCN ported onto the tensor engine ({@link TapeGcn}) against the gradient-checked hand-written one
 * ({@link QuantGcn}): same initial draws, same forward logits, same gradients of W1, b1, W2, b2 and of A2Q's
 * per-node step and bits (Local Gradient), in FP32 and with A2Q.
 */
class TapeGcnTest {

    private static final LabelledGraph GRAPH = SbmGenerator.generate(
            new SbmGenerator.Params(200, 3, 4, 0.8, 2.2, 24, 1.0, 10, 40, 60), 3);

    @Test
    void fp32GradientsEqualTheHandWrittenBackward() {
        compare(QuantGcn.Scheme.FP32);
    }

    @Test
    void a2qGradientsEqualTheHandWrittenBackward() {
        compare(QuantGcn.Scheme.A2Q);
    }

    private static void compare(QuantGcn.Scheme scheme) {
        GcnHyper h = GcnHyper.a2qCora().withDropout(0);
        QuantGcn hand = new QuantGcn(GRAPH, scheme, h, new SplittableRandom(5));
        TapeGcn tape = new TapeGcn(GRAPH, scheme, h, new SplittableRandom(5));
        int[] nodes = GRAPH.train();
        float[] logits = hand.forward(false, null).clone();
        float[] dLogits = new float[logits.length];
        double handLoss = hand.softmaxCrossEntropy(logits, nodes, dLogits);
        QuantGcn.Gradients g = hand.backward(dLogits);
        double tapeLoss = tape.lossAndGradients(nodes, false, null);
        assertThat(tapeLoss).isCloseTo(handLoss, org.assertj.core.api.Assertions.within(1e-5));
        float[] tapeLogits = tape.evaluate();
        for (int i = 0; i < logits.length; i++) {
            assertThat((double) tapeLogits[i]).as("logit %d", i)
                    .isCloseTo(logits[i], org.assertj.core.api.Assertions.within(1e-5));
        }
        Tensor[] p = tape.parameters();
        for (int k = 0; k < 4; k++) {
            assertClose("param " + k, g.params[k], p[k].grad());
        }
        if (scheme == QuantGcn.Scheme.A2Q) {
            assertClose("alpha", g.alphaX, tape.featureQuantizer()[0].grad());
            assertClose("bits", g.bitsX, tape.featureQuantizer()[1].grad());
        }
    }

    /** float32 sums in another order: 1e-4 of the largest gradient, or 1e-6 absolute. */
    private static void assertClose(String what, float[] expected, Tensor actual) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-4 * scale + 1e-6));
        }
    }

    @Test
    void trainingOnTheTapeLearns() {
        GcnTrainer.Result r = GcnTrainer.train(GRAPH, GcnTrainer.Model.GCN, QuantGcn.Scheme.A2Q,
                GcnHyper.a2qCora().withEpochs(40), 2, CancellationToken.none(), null, new CpuQuantKernels());
        assertThat(r.valSelectedTestAcc()).isGreaterThan(0.6);
        assertThat(r.nodeBits()).hasSize(GRAPH.numNodes());
    }
}
