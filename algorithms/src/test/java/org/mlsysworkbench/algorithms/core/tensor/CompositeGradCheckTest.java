package org.mlsysworkbench.algorithms.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole models against finite differences in double precision (relative error <= 1e-5): the
 * backward passes must also compose correctly.
 */
class CompositeGradCheckTest {

    static final double TOL = 1e-5;

    private final SplittableRandom rnd = new SplittableRandom(3);

    private Tensor r(double std, int... shape) {
        return Tensor.randn(DType.F64, rnd, std, shape);
    }

    private static void assertOk(GradCheck.Result res) {
        assertThat(res.maxRelError()).as(res.toString()).isLessThanOrEqualTo(TOL);
    }

    @Test
    void twoLayerGcnOnASparseGraph() {
        int n = 12;
        int[] src = {0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 10, 11, 3, 9};
        int[] dst = {1, 0, 2, 1, 3, 2, 5, 4, 6, 5, 8, 7, 10, 9, 11, 10, 9, 3};
        CsrMatrix adj = CsrMatrix.gcnNormalized(n, src, dst);
        int[] fr = new int[30];
        int[] fc = new int[30];
        float[] fv = new float[30];
        for (int i = 0; i < 30; i++) {
            fr[i] = i % n;
            fc[i] = (i * 7) % 9;
            fv[i] = 1f + (i % 3);
        }
        CsrMatrix x = CsrMatrix.fromCoo(n, 9, fr, fc, fv);
        Gcn gcn = new Gcn(DType.F64, rnd, 9, 5, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        int[] trainRows = {0, 2, 3, 5, 7, 8, 11};
        assertOk(GradCheck.check(() -> Nn.crossEntropy(
                gcn.forward(adj, x, 0.4, new SplittableRandom(9), true), labels, trainRows),
                gcn.params(), 40, 1, false));
    }

    @Test
    void convBatchNormReluPoolFcIncludingTheInputImage() {
        Tensor image = r(1, 2, 2, 6, 6).named("image");
        Tensor w = r(0.4, 3, 2, 3, 3).named("conv.w");
        Tensor b = r(0.1, 3).named("conv.b");
        Tensor gamma = Tensor.uniform(DType.F64, rnd, 0.5, 1.5, 3).named("bn.gamma");
        Tensor beta = r(0.1, 3).named("bn.beta");
        Tensor fc = r(0.3, 27, 4).named("fc.w");
        Tensor fcb = r(0.1, 4).named("fc.b");
        int[] labels = {1, 3};
        Nn.BatchNormState state = new Nn.BatchNormState(DType.F64, 3, 0.1, 1e-5);
        GradCheck.Result res = GradCheck.check(() -> {
            Tensor h = Nn.conv2d(image, w, b, 1, 1);
            h = Nn.batchNorm(h, gamma, beta, state, true).output();
            h = Nn.maxPool2d(Ops.relu(h), 2, 2);
            Tensor logits = Ops.add(Ops.matmul(Ops.reshape(h, 2, -1), fc), fcb);
            return Nn.crossEntropy(logits, labels);
        }, List.of(image, w, b, gamma, beta, fc, fcb), 40, 2, false);
        assertOk(res);
        assertThat(image.grad()).isNotNull();
        assertThat(image.grad().shape()).containsExactly(2, 2, 6, 6);
    }

    @Test
    void lifLayerWithSurrogateGradientOverTimeSteps() {
        int steps = 5;
        Tensor input = r(1, steps, 3, 4).named("input");
        Tensor w = r(0.8, 4, 6).named("w");
        Tensor target = Tensor.uniform(DType.F64, rnd, 0, 1, 3, 6);
        double decay = 0.8;
        double threshold = 0.5;
        GradCheck.Result res = GradCheck.check(() -> {
            Tensor v = Tensor.zeros(DType.F64, 3, 6);
            Tensor count = Tensor.zeros(DType.F64, 3, 6);
            for (int t = 0; t < steps; t++) {
                Tensor current = Ops.matmul(Ops.reshape(Ops.slice(input, 0, t, t + 1), 3, 4), w);
                v = Ops.add(Ops.mulScalar(v, decay), current);
                Tensor spike = Nn.heaviside(Ops.addScalar(v, -threshold), 5.0);
                v = Ops.sub(v, Ops.mulScalar(spike, threshold));   // soft reset
                count = Ops.add(count, spike);
            }
            return Nn.mse(Ops.mulScalar(count, 1.0 / steps), target);
        }, List.of(input, w), 40, 3, true);
        assertOk(res);
    }

    @Test
    void surrogateBackwardIsTheSigmoidDerivativeWhileForwardSpikes() {
        Tensor x = Tensor.of(new double[] {-1.0, -0.1, 0.0, 0.3}, 4).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor s = Nn.heaviside(x, 4.0);
            assertThat(s.toDoubleArray()).containsExactly(0, 0, 1, 1);
            tape.backward(Ops.sum(s));
        }
        for (int i = 0; i < 4; i++) {
            double sg = Nn.sigmoid(4.0 * x.get(i));
            assertThat(x.grad().get(i)).isCloseTo(4.0 * sg * (1 - sg), org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void tinyVolumeRendererWithCumprodTransmittance() {
        int rays = 4;
        int samples = 6;
        Tensor density = r(1, 1, 4, 4, 4).named("density");
        Tensor color = r(1, 3, 4, 4, 4).named("color");
        Tensor origins = Tensor.uniform(DType.F64, rnd, -0.8, -0.6, rays, 1, 3);
        Tensor dirs = Tensor.uniform(DType.F64, rnd, 0.15, 0.25, rays, 1, 3);
        double[] ts = new double[samples];
        for (int s = 0; s < samples; s++) {
            ts[s] = 0.3 + 1.1 * s;
        }
        Tensor t = Tensor.of(ts, 1, samples, 1);
        Tensor points64 = Ops.reshape(Ops.add(origins, Ops.mul(dirs, t)), rays * samples, 3).copy().named("points");
        Tensor target = Tensor.uniform(DType.F64, rnd, 0, 1, rays, 3);
        double delta = 0.25;
        GradCheck.Result res = GradCheck.check(() -> {
            Tensor sigma = Ops.reshape(Ops.relu(Nn.gridSample3d(density, points64)), rays, samples);
            Tensor rgb = Ops.reshape(Ops.sigmoid(Nn.gridSample3d(color, points64)), rays, samples, 3);
            Tensor alpha = Ops.addScalar(Ops.neg(Ops.exp(Ops.mulScalar(sigma, -delta))), 1);
            Tensor trans = Ops.cumprod(Ops.addScalar(Ops.neg(alpha), 1), 1, true);
            Tensor weights = Ops.reshape(Ops.mul(trans, alpha), rays, samples, 1);
            Tensor pixel = Ops.sum(Ops.mul(weights, rgb), false, 1);
            return Nn.mse(pixel, target);
        }, List.of(density, color, points64), 40, 4, false);
        assertOk(res);
    }
}
