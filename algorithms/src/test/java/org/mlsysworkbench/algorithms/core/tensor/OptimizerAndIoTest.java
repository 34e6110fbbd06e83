package org.mlsysworkbench.algorithms.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerAndIoTest {

    /** One Adam step by hand: m = 0.1 g, v = 0.001 g^2, bias-corrected update = lr * sign(g) (eps aside). */
    @Test
    void adamFirstStepMovesEachWeightByTheLearningRate() {
        Tensor p = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        Adam opt = Adam.adam(List.of(p), 0.1, 0);
        p.grad = Tensor.of(new float[] {0.5f, -3f}, 2);
        opt.step();
        assertThat(p.get(0)).isCloseTo(0.9, offset(1e-6));
        assertThat(p.get(1)).isCloseTo(-1.9, offset(1e-6));
    }

    @Test
    void adamWDecaysWeightsIndependentlyOfTheGradient() {
        Tensor p = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Adam opt = Adam.adamW(List.of(p), 0.1, 0.5, LrSchedule.constant());
        p.grad = Tensor.of(new float[] {0f}, 1);
        opt.step();
        // decoupled decay only: 2 - 0.1 * 0.5 * 2
        assertThat(p.get(0)).isCloseTo(1.9, offset(1e-6));
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        Tensor p = Tensor.of(new float[] {0f}, 1).requiresGrad(true);
        Sgd opt = new Sgd(List.of(p), 0.1, 0.9);
        p.grad = Tensor.of(new float[] {1f}, 1);
        opt.step();
        opt.step();
        // v1 = 1, v2 = 1.9: p = -0.1 - 0.19
        assertThat(p.get(0)).isCloseTo(-0.29, offset(1e-6));
    }

    @Test
    void sgdMinimisesAQuadraticThroughTheTape() {
        Tensor p = Tensor.of(new double[] {3, -4}, 2).requiresGrad(true);
        Tensor target = Tensor.of(new double[] {1, 2}, 2);
        Sgd opt = new Sgd(List.of(p), 0.1, 0.5, 0, true, LrSchedule.stepDecay(50, 0.5));
        for (int i = 0; i < 200; i++) {
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(Nn.mse(p, target));
            }
            opt.step();
        }
        assertThat(p.toDoubleArray()).containsExactly(new double[] {1, 2}, offset(1e-6));
    }

    @Test
    void schedules() {
        assertThat(LrSchedule.stepDecay(10, 0.5).lr(25, 1)).isEqualTo(0.25);
        assertThat(LrSchedule.cosine(100, 0).lr(50, 1)).isCloseTo(0.5, offset(1e-12));
        assertThat(LrSchedule.cosine(100, 0.01).lr(200, 1)).isEqualTo(0.01);
        assertThat(LrSchedule.warmup(4, LrSchedule.constant()).lr(1, 1)).isEqualTo(0.5);
        assertThat(LrSchedule.warmup(4, LrSchedule.constant()).lr(9, 1)).isEqualTo(1);
    }

    @Test
    void parametersRoundTripThroughTheDocumentedFormat(@TempDir Path dir) throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        Tensor a = Tensor.randn(DType.F32, rnd, 1, 3, 4).named("layer1.w");
        Tensor b = Tensor.randn(DType.F64, rnd, 1, 5).named("layer1.b");
        Path f = dir.resolve("params.mwbp");
        ParameterIo.save(f, List.of(a, b));
        // magic + version + count + ("layer1.w": 2+8 name, 1 dtype, 4+8 shape, 48 data) + ("layer1.b": 10, 1, 8, 40)
        assertThat(Files.size(f)).isEqualTo(12 + (10 + 1 + 12 + 48) + (10 + 1 + 8 + 40));
        Map<String, Tensor> back = ParameterIo.load(f);
        assertThat(back.get("layer1.w").toFloatArray()).containsExactly(a.toFloatArray());
        assertThat(back.get("layer1.b").toDoubleArray()).containsExactly(b.toDoubleArray());
        Tensor a2 = Tensor.zeros(3, 4).named("layer1.w");
        ParameterIo.loadInto(f, List.of(a2));
        assertThat(a2.toFloatArray()).containsExactly(a.toFloatArray());
    }

    @Test
    void badParameterFilesGetMessagesNamingFileAndTensor(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.mwbp");
        Files.write(f, new byte[] {'N', 'O', 'P', 'E'});
        assertThatThrownBy(() -> ParameterIo.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.mwbp").hasMessageContaining("magic");
        Path g = dir.resolve("p.mwbp");
        ParameterIo.save(g, List.of(Tensor.zeros(2, 2).named("w")));
        assertThatThrownBy(() -> ParameterIo.loadInto(g, List.of(Tensor.zeros(3).named("w"))))
                .hasMessageContaining("'w'").hasMessageContaining("[2, 2]");
        byte[] whole = Files.readAllBytes(g);
        Files.write(g, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> ParameterIo.load(g)).hasMessageContaining("truncated");
    }

    @Test
    void pooledTapeRecyclesIntermediatesAndInvalidatesThem() {
        BufferPool pool = new BufferPool();
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor kept;
        Tensor dropped;
        try (Tape tape = Tape.record(pool)) {
            dropped = Ops.relu(Ops.matmul(w, w));
            kept = dropped.copy();
            tape.backward(Ops.sum(dropped));
        }
        assertThat(kept.toFloatArray()).containsExactly(7, 10, 15, 22);
        // d sum(W W) / dW_ab = rowsum(W)_b + colsum(W)_a, rowsums [3, 7], colsums [4, 6]
        assertThat(w.grad().toFloatArray()).containsExactly(7, 11, 9, 13);
        assertThatThrownBy(dropped::data).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        long created = pool.allocations();
        try (Tape tape = Tape.record(pool)) {
            tape.backward(Ops.sum(Ops.relu(Ops.matmul(w, w))));
        }
        assertThat(pool.allocations()).isEqualTo(created);
    }

    @Test
    void gradientsAccumulateAcrossUsesAndFlowToInputs() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(Ops.sum(Ops.mul(x, Ops.mul(x, x))));
        }
        assertThat(x.grad().get(0)).isEqualTo(12.0);
        Tensor y = Ops.mul(x, x);
        assertThat(y.requiresGrad()).as("no tape, no graph").isFalse();
    }
}
