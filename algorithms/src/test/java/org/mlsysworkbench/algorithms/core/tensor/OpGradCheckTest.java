package org.mlsysworkbench.algorithms.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every op's backward pass against central finite differences in double precision
 * (relative error <= 1e-5, the workbench's acceptance bound; see {@link GradCheck}).
 */
class OpGradCheckTest {

    /** Acceptance bound for every op. */
    static final double TOL = 1e-5;

    private final SplittableRandom rnd = new SplittableRandom(7);

    private Tensor r(int... shape) {
        return Tensor.randn(DType.F64, rnd, 1.0, shape);
    }

    private Tensor pos(int... shape) {
        return Tensor.uniform(DType.F64, rnd, 0.5, 2.0, shape);
    }

    private static void ok(Function<Tensor[], Tensor> op, Tensor... in) {
        GradCheck.Result res = GradCheck.checkOp(op, 11, in);
        assertThat(res.maxRelError()).as(res.toString()).isLessThanOrEqualTo(TOL);
        assertThat(res.checked()).isPositive();
    }

    @Test void addSubMulDivWithBroadcasting() {
        ok(t -> Ops.add(t[0], t[1]), r(3, 4), r(3, 4));
        ok(t -> Ops.add(t[0], t[1]), r(3, 4), r(4));
        ok(t -> Ops.sub(t[0], t[1]), r(2, 3, 4), r(3, 1));
        ok(t -> Ops.mul(t[0], t[1]), r(2, 1, 4), r(1, 3, 1));
        ok(t -> Ops.div(t[0], t[1]), r(2, 3, 4), pos(2, 1, 4));
        ok(t -> Ops.mul(t[0], t[1]), r(2, 3, 2, 2), r(1, 3, 1, 1));
    }

    @Test void minimumMaximumClampWithBroadcastBounds() {
        ok(t -> Ops.minimum(t[0], t[1]), r(4, 5), r(5));
        ok(t -> Ops.maximum(t[0], t[1]), r(4, 5), r(4, 1));
        ok(t -> Ops.clamp(t[0], t[1], t[2]), r(6, 3), Tensor.full(DType.F64, -0.5, 1, 3).add(r(1, 3).mul(0.1)),
                Tensor.full(DType.F64, 0.6, 3).add(r(3).mul(0.1)));
        ok(t -> Ops.clamp(t[0], -0.7, 0.4), r(5, 5));
    }

    @Test void unaryFunctions() {
        ok(t -> Ops.exp(t[0]), r(3, 4));
        ok(t -> Ops.log(t[0]), pos(3, 4));
        ok(t -> Ops.relu(t[0]), r(3, 4));
        ok(t -> Ops.sigmoid(t[0]), r(3, 4));
        ok(t -> Ops.tanh(t[0]), r(3, 4));
        ok(t -> Ops.sqrt(t[0]), pos(3, 4));
        ok(t -> Ops.abs(t[0]), r(3, 4));
        ok(t -> Ops.square(t[0]), r(3, 4));
        ok(t -> Ops.neg(t[0]), r(3, 4));
        ok(t -> Ops.pow(t[0], 1.7), pos(3, 4));
        ok(t -> Ops.addScalar(Ops.mulScalar(t[0], 2.5), -1), r(3, 4));
    }

    @Test void matmulPlainBatchedAndShared() {
        ok(t -> Ops.matmul(t[0], t[1]), r(5, 4), r(4, 3));
        ok(t -> Ops.matmul(t[0], t[1]), r(2, 5, 4), r(4, 3));
        ok(t -> Ops.matmul(t[0], t[1]), r(2, 3, 5, 4), r(2, 3, 4, 2));
        ok(t -> Ops.matmul(t[0], t[1]), r(5, 4), r(3, 4, 2));
        ok(t -> Nn.linear(t[0], t[1], t[2]), r(2, 5, 4), r(4, 3), r(3));
    }

    @Test void shapeOps() {
        ok(t -> Ops.reshape(t[0], 4, -1), r(2, 3, 2));
        ok(t -> Ops.transpose(t[0], 0, 2), r(2, 3, 4));
        ok(t -> Ops.permute(t[0], 2, 0, 1), r(2, 3, 4));
        ok(t -> Ops.slice(t[0], 1, 1, 3), r(2, 4, 3));
        ok(t -> Ops.concat(1, t[0], t[1]), r(2, 3, 2), r(2, 1, 2));
    }

    @Test void reductions() {
        ok(t -> Ops.sum(t[0]), r(3, 4));
        ok(t -> Ops.mean(t[0]), r(3, 4));
        ok(t -> Ops.sum(t[0], false, 1), r(2, 3, 4));
        ok(t -> Ops.mean(t[0], true, 0, 2), r(2, 3, 4));
        ok(t -> Ops.max(t[0], 1, false), r(3, 5, 2));
        ok(t -> Ops.max(t[0], -1, true), r(4, 6));
        ok(t -> Ops.variance(t[0], true, 0, 2), r(3, 2, 4));
    }

    @Test void softmaxAndLogSoftmaxOnAnyAxis() {
        ok(t -> Ops.softmax(t[0], 1), r(3, 4, 2));
        ok(t -> Ops.softmax(t[0], -1), r(3, 4));
        ok(t -> Ops.logSoftmax(t[0], 0), r(3, 4, 2));
        ok(t -> Ops.logSoftmax(t[0], 2), r(3, 4, 5));
    }

    @Test void cumulativeSumAndProduct() {
        ok(t -> Ops.cumsum(t[0], 1, false), r(3, 5, 2));
        ok(t -> Ops.cumsum(t[0], 0, true), r(4, 3));
        ok(t -> Ops.cumprod(t[0], 1, false), r(3, 6));
        ok(t -> Ops.cumprod(t[0], -1, true), r(2, 3, 5));
        Tensor withZero = r(2, 5);
        withZero.set(2, 0.0);
        ok(t -> Ops.cumprod(t[0], 1, true), withZero);
    }

    @Test void lossesAndDropout() {
        int[] labels = {2, 0, 1, 1, 0};
        ok(t -> Nn.crossEntropy(t[0], labels), r(5, 3));
        ok(t -> Nn.crossEntropy(t[0], labels, new int[] {0, 3, 4}), r(5, 3));
        ok(t -> Nn.mse(t[0], t[1]), r(4, 3), r(4, 3));
        ok(t -> Nn.dropout(t[0], 0.3, new SplittableRandom(5), true), r(6, 4));
    }

    @Test void gatherEmbeddingScatterAdd() {
        ok(t -> Nn.embedding(t[0], new int[] {3, 0, 3, 1}), r(5, 3));
        ok(t -> Nn.gather(t[0], new int[] {1, 1, 0}), r(2, 2, 3));
        ok(t -> Nn.scatterAdd(t[0], new int[] {2, 0, 2, 4}, 5), r(4, 3));
    }

    @Test void sparseDenseMatmul() {
        CsrMatrix a = CsrMatrix.fromCoo(4, 5, new int[] {0, 0, 1, 3, 3, 2}, new int[] {1, 4, 0, 2, 2, 3},
                new float[] {0.5f, -1f, 2f, 0.25f, 0.75f, 1.5f});
        ok(t -> a.matmul(t[0]), r(5, 3));
        CsrMatrix g = CsrMatrix.gcnNormalized(4, new int[] {0, 1, 1, 2}, new int[] {1, 0, 2, 1});
        ok(t -> g.matmul(t[0]), r(4, 2));
        CsrMatrix dropped = a.dropout(0.3, new SplittableRandom(2));
        ok(t -> dropped.matmul(t[0]), r(5, 3));
    }

    @Test void conv2dWithPaddingStrideAndBias() {
        ok(t -> Nn.conv2d(t[0], t[1], t[2], 1, 1), r(2, 3, 5, 5), r(4, 3, 3, 3), r(4));
        ok(t -> Nn.conv2d(t[0], t[1], null, 2, 0), r(2, 2, 7, 6), r(3, 2, 3, 2));
    }

    @Test void pooling() {
        ok(t -> Nn.maxPool2d(t[0], 2, 2), r(2, 3, 4, 6));
        ok(t -> Nn.avgPool2d(t[0], 3, 2), r(2, 2, 7, 5));
    }

    @Test void normalizeAffineWithEveryInput() {
        ok(t -> Nn.normalizeAffine(t[0], t[1], t[2], t[3], t[4], 1e-5), r(3, 2, 2, 3), r(2), pos(2), r(2), r(2));
    }

    @Test void batchNormTrainEvalAndItsStatistics() {
        Nn.BatchNormState st = new Nn.BatchNormState(DType.F64, 3, 0.1, 1e-5);
        ok(t -> Nn.batchNorm(t[0], t[1], t[2], st, true).output(), r(4, 3, 2, 2), r(3), r(3));
        ok(t -> Nn.batchNorm(t[0], t[1], t[2], st, true).output(), r(6, 3), r(3), r(3));
        ok(t -> Nn.batchNorm(t[0], t[1], t[2], st, false).output(), r(4, 3, 2, 2), r(3), r(3));
        // a loss on the batch statistics themselves (BN-statistics matching)
        ok(t -> {
            Nn.BatchNormResult res = Nn.batchNorm(t[0], t[1], t[2], st, true);
            return Ops.add(Ops.add(res.mean(), res.variance()), Ops.sum(res.output(), false, 0, 2, 3));
        }, r(3, 3, 2, 2), r(3), r(3));
    }

    @Test void layerNormAndRmsNorm() {
        ok(t -> Nn.layerNorm(t[0], t[1], t[2], 1e-5), r(4, 6), r(6), r(6));
        ok(t -> Nn.rmsNorm(t[0], t[1], 1e-6), r(2, 3, 5), r(5));
    }

    @Test void trilinearGridSampling() {
        Tensor pts = Tensor.uniform(DType.F64, rnd, -0.95, 0.95, 7, 3);
        ok(t -> Nn.gridSample3d(t[0], t[1]), r(2, 3, 4, 5), pts);
    }

    @Test void straightThroughAndSurrogateGradients() {
        ok(t -> Nn.roundSte(t[0]), r(4, 4).mul(3));
        ok(t -> Nn.signSte(t[0]), r(4, 4).mul(0.8));
        ok(t -> Nn.heaviside(t[0], 4.0), r(4, 4));
    }
}
