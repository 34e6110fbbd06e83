package org.mlsysworkbench.compute.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.cnnquant.BinaryCodes;
import org.mlsysworkbench.algorithms.cnnquant.BinaryWeights;
import org.mlsysworkbench.algorithms.cnnquant.CpuQuantInferenceKernels;
import org.mlsysworkbench.algorithms.cnnquant.FcKernels;
import org.mlsysworkbench.algorithms.cnnquant.PqLayer;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels.Layer;
import org.mlsysworkbench.algorithms.cnnquant.UniformQuantizer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.kernels.VulkanBackend;
import org.mlsysworkbench.compute.testing.GpuTests;

/**
 * Every Vulkan cnnquant inference kernel against its CPU twin on the same layer and inputs. The shaders evaluate
 * the twin's float operations in its order without FMA, so the tolerance is 1e-6 relative (measured: 0 on
 * lavapipe); the int8 accumulation is integer and exact.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanQuantInferenceKernelsTest {

    /** Max abs error allowed, relative to the largest output magnitude. */
    static final double TOLERANCE = 1e-6;
    // fan-in not a multiple of 4 or 32 (padding of packed bytes and bits), outputs not a multiple of the workgroup
    static final int S = 202;
    static final int N = 37;

    private GpuContext gpu;
    private VulkanQuantInferenceKernels vk;
    private final CpuQuantInferenceKernels cpu = new CpuQuantInferenceKernels();
    private float[] w;
    private float[] bias;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        vk = new VulkanQuantInferenceKernels(gpu, null);
        SplittableRandom r = new SplittableRandom(3);
        w = gaussian(r, S * N, 0.1);
        bias = gaussian(r, N, 1);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
        }
        GpuTests.closeClean(gpu);
    }

    private static float[] gaussian(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /** ReLU outputs: about half exact zeros, which the kernels skip. */
    private static float[] relu(SplittableRandom r, int n) {
        float[] a = gaussian(r, n, 1);
        for (int i = 0; i < n; i++) {
            a[i] = Math.max(0f, a[i]);
        }
        return a;
    }

    private static void assertParity(Layer a, Layer b, int images, long seed) {
        float[] x = relu(new SplittableRandom(seed), images * a.inputSize());
        float[] outA = new float[images * a.outputSize()];
        float[] outB = new float[images * a.outputSize()];
        a.forward(x, images, outA);
        b.forward(x, images, outB);
        double scale = 0;
        double err = 0;
        for (int i = 0; i < outA.length; i++) {
            scale = Math.max(scale, Math.abs(outA[i]));
            err = Math.max(err, Math.abs(outA[i] - outB[i]));
        }
        assertThat(scale).isPositive();
        assertThat(err).isLessThanOrEqualTo(TOLERANCE * scale);
    }

    /** Two batch sizes: the second call reallocates the layer's input/output buffers. */
    private static void assertParity(Layer a, Layer b) {
        assertParity(a, b, 70, 5);
        assertParity(a, b, 3, 6);
    }

    @Test
    void denseMatchesTheCpuTwin() {
        try (Layer g = vk.dense(w, S, N, bias); Layer c = cpu.dense(w, S, N, bias)) {
            assertParity(g, c);
        }
    }

    @Test
    void int8MatchesTheCpuTwinExactly() {
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(w, S, N);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 3, 8);
        try (Layer g = vk.int8(w8, xq, bias); Layer c = cpu.int8(w8, xq, bias)) {
            float[] x = relu(new SplittableRandom(9), 4 * S);
            float[] a = new float[4 * N];
            float[] b = new float[4 * N];
            g.forward(x, 4, a);
            c.forward(x, 4, b);
            // integer accumulation and the same rescale expression: bit-identical
            assertThat(a).containsExactly(b);
            assertParity(g, c);
        }
    }

    @Test
    void binaryMatchesTheCpuTwin() {
        BinaryCodes codes = BinaryWeights.bwn(w, S, N);
        try (Layer g = vk.binary(codes, S, N, bias); Layer c = cpu.binary(codes, S, N, bias)) {
            assertParity(g, c);
        }
    }

    @Test
    void lookupMatchesTheCpuTwin() {
        // C_s' = 2 (101 subspaces), K = 16
        PqLayer pq = PqLayer.learn(w, S, N, 1, 2, 16, null, null, 0, 5, 0, new SplittableRandom(4));
        try (Layer g = vk.lookup(pq, bias); Layer c = cpu.lookup(pq, bias)) {
            assertParity(g, c);
        }
    }

    // conv: 5 -> 7 channels (fan-in 45: packed bytes and bits padded), 3x3 on 9x6 maps
    static final int CS = 5;
    static final int CT = 7;

    private float[] convWeights() {
        return gaussian(new SplittableRandom(12), CS * 9 * CT, 0.2);
    }

    @Test
    void convLayersMatchTheirCpuTwins() {
        float[] wc = convWeights();
        float[] bc = gaussian(new SplittableRandom(13), CT, 1);
        try (Layer g = vk.denseConv(wc, CS, CT, 9, 6, bc); Layer c = cpu.denseConv(wc, CS, CT, 9, 6, bc)) {
            assertParity(g, c);
        }
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(wc, CS * 9, CT);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 3, 8);
        try (Layer g = vk.int8Conv(w8, CS, 9, 6, xq, bc); Layer c = cpu.int8Conv(w8, CS, 9, 6, xq, bc)) {
            assertParity(g, c);
        }
        BinaryCodes codes = BinaryWeights.bwn(wc, CS * 9, CT);
        try (Layer g = vk.binaryConv(codes, CS, 9, 6, bc); Layer c = cpu.binaryConv(codes, CS, 9, 6, bc)) {
            assertParity(g, c);
        }
        PqLayer pq = PqLayer.learn(wc, CS * 9, CT, 9, 1, 8, null, null, 0, 5, 0, new SplittableRandom(14));
        try (Layer g = vk.lookupConv(pq, 9, 6, bc); Layer c = cpu.lookupConv(pq, 9, 6, bc)) {
            assertParity(g, c);
        }
    }

    @Test
    void badShapesAreRefusedWithTheExpectation() {
        assertThatThrownBy(() -> vk.dense(w, S, N + 1, bias)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 202 x 38 weights and 38 biases");
        try (Layer g = vk.dense(w, S, N, bias)) {
            assertThatThrownBy(() -> g.forward(new float[S], 2, new float[2 * N]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs x of 404");
        }
    }

    @Test
    void closedLayersAndKernelsRefuseWorkAndLeaveNothingOpen() {
        int before = gpu.openChildren();
        VulkanQuantInferenceKernels k = new VulkanQuantInferenceKernels(gpu, null);
        Layer layer = k.lookup(PqLayer.learn(w, S, N, 1, 2, 4, null, null, 0, 2, 0, new SplittableRandom(1)), bias);
        Layer open = k.dense(w, S, N, bias);
        layer.forward(new float[S], 1, new float[N]);
        layer.close();
        layer.close();
        assertThatThrownBy(() -> layer.forward(new float[S], 1, new float[N]))
                .isInstanceOf(IllegalStateException.class);
        open.forward(new float[S], 1, new float[N]);
        // closing the kernels closes the layers they made
        k.close();
        k.close();
        open.close();
        assertThat(gpu.openChildren()).isEqualTo(before);
        assertThatThrownBy(() -> k.dense(w, S, N, bias)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theVulkanBackendRegistersTheContract() {
        try (VulkanBackend backend = VulkanBackend.create(System.getProperty("workbench.device"))) {
            QuantInferenceKernels k = backend.kernels(QuantInferenceKernels.class).orElseThrow();
            assertThat(k.name()).isEqualTo("vulkan");
            try (Layer g = k.binary(BinaryWeights.bwn(w, S, N), S, N, bias);
                 Layer c = cpu.binary(BinaryWeights.bwn(w, S, N), S, N, bias)) {
                assertParity(g, c);
            }
        }
    }
}
