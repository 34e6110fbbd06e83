package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * {@code mlsys-workbench bench cnnquant}: per-image inference time of the fc1 layer of the Fashion-MNIST network
 * (1568 -> 256; and the 8x8-digits one, 128 -> 128) and of its conv2 layer (16 -> 32 channels, 3x3 on 14x14) in
 * float32, int8 (W8A8, integer accumulation), binary (sign-accumulate) and Q-CNN look-up form, through the chosen
 * backend's {@link QuantInferenceKernels} ({@link CpuQuantInferenceKernels} when the backend has none), on the same
 * inputs (ReLU-like: about half zeros) in one run, as ratios against float32 next to the operation-count model
 * (Q-CNN FC: {@code C_s C_t / (C_s K + C_t M)}, conv: {@code d^2 C_t 9 C_s / (d^2 C_s K + d^2 9 C_t M)}; int8 and
 * binary do the same number of operations, in integers or as additions). Each call runs a batch of 64 images; on a GPU backend the time includes the upload of the inputs and the download of the outputs.
 */
public final class CnnQuantBenchmark implements BenchmarkSuite {

    /** Images per kernel call. */
    static final int IMAGES = 64;

    @Override
    public String id() {
        return CnnQuantBench.ID;
    }

    @Override
    public String description() {
        return "FC inference per image: float32 vs int8 vs binary vs Q-CNN look-up, measured ratios and the op-count model";
    }

    /** One layer's geometry and Q-CNN setting; {@code size > 0} makes it a 3x3 conv on size x size maps. */
    record Case(String name, int fanIn, int outputs, int subDim, int codewords, int size) {

        boolean conv() {
            return size > 0;
        }
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        Case[] cases = {new Case("fc1 1568x256 (Cs'=8, K=16)", 1568, 256, 8, 16, 0),
            new Case("fc1 1568x256 (Cs'=2, K=8)", 1568, 256, 2, 8, 0),
            new Case("fc1 128x128 digits (Cs'=4, K=16)", 128, 128, 4, 16, 0),
            new Case("conv2 16->32 3x3 on 14x14 (Cs'=1, K=16)", 16 * 9, 32, 1, 16, 14)};
        double budgetSeconds = quick ? 0.15 : 1.0;
        QuantInferenceKernels registered = backend.kernels(QuantInferenceKernels.class).orElse(null);
        // the backend owns its kernels; a CPU twin made here is closed here
        QuantInferenceKernels kernels = registered != null ? registered : new CpuQuantInferenceKernels();
        try {
            for (Case c : cases) {
                cancel.throwIfCancelled();
                measure(report, kernels, backend, c, budgetSeconds);
            }
        } finally {
            if (registered == null) {
                kernels.close();
            }
        }
    }

    private static void measure(BenchmarkReport report, QuantInferenceKernels kernels, Backend backend, Case c,
                                double budgetSeconds) {
        SplittableRandom rnd = new SplittableRandom(42);
        int s = c.fanIn();
        int n = c.outputs();
        float[] w = new float[s * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (SmallCnn.gaussian(rnd) * Math.sqrt(2.0 / s));
        }
        int hw = c.conv() ? c.size() * c.size() : 1;
        int inSize = c.conv() ? s / 9 * hw : s;
        float[] x = new float[IMAGES * inSize];
        for (int i = 0; i < x.length; i++) {
            double v = SmallCnn.gaussian(rnd);
            x[i] = v > 0 ? (float) v : 0f;
        }
        float[] bias = new float[n];
        PqLayer pq = PqLayer.learn(w, s, n, c.conv() ? 9 : 1, c.subDim(), c.codewords(), null, null, 0, 8, 0, rnd);
        BinaryCodes bin = BinaryWeights.bwn(w, s, n);
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(w, s, n);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 4, 8);
        float[] out = new float[IMAGES * n * hw];
        float[] sink = new float[1];
        String[] names = {"float32", "int8", "binary", "qcnn-lut"};
        QuantInferenceKernels.Layer[] layers = new QuantInferenceKernels.Layer[4];
        try {
            if (c.conv()) {
                int cs = s / 9;
                layers[0] = kernels.denseConv(w, cs, n, c.size(), c.size(), bias);
                layers[1] = kernels.int8Conv(w8, cs, c.size(), c.size(), xq, bias);
                layers[2] = kernels.binaryConv(bin, cs, c.size(), c.size(), bias);
                layers[3] = kernels.lookupConv(pq, c.size(), c.size(), bias);
            } else {
                layers[0] = kernels.dense(w, s, n, bias);
                layers[1] = kernels.int8(w8, xq, bias);
                layers[2] = kernels.binary(bin, s, n, bias);
                layers[3] = kernels.lookup(pq, bias);
            }
            Runnable[] runs = new Runnable[layers.length];
            for (int k = 0; k < layers.length; k++) {
                QuantInferenceKernels.Layer layer = layers[k];
                runs[k] = () -> {
                    layer.forward(x, IMAGES, out);
                    sink[0] += out[out.length / 2];
                };
            }
            // interleaved rounds, best per kernel: every kernel sees the same machine state
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (Runnable r : runs) {
                time(r, budgetSeconds / 4);
            }
            for (int round = 0; round < 5; round++) {
                for (int k = 0; k < runs.length; k++) {
                    best[k] = Math.min(best[k], time(runs[k], budgetSeconds / 5) / IMAGES);
                }
            }
            String where = kernels.name() + " kernels on " + backend + (backend.functionalOnly()
                    ? " (CPU Vulkan driver: functional only, not a speed figure)" : "");
            for (int k = 0; k < names.length; k++) {
                report.add(CnnQuantBench.ID, c.name(), names[k] + " time per image", best[k] * 1e6, "us",
                        "best of 5 rounds, batches of " + IMAGES + ", " + where);
            }
            for (int k = 1; k < names.length; k++) {
                report.add(CnnQuantBench.ID, c.name(), names[k] + " speed-up over float32", best[0] / best[k], "x",
                        "measured in this run, " + where);
            }
        } finally {
            for (QuantInferenceKernels.Layer l : layers) {
                if (l != null) {
                    l.close();
                }
            }
        }
        long macs = (long) s * n * hw;
        report.add(CnnQuantBench.ID, c.name(), "int8 op-count model speed-up", 1.0, "x",
                "the same " + macs + " multiply-adds, in int32; weights 4x smaller");
        report.add(CnnQuantBench.ID, c.name(), "binary op-count model speed-up", 1.0, "x",
                "the same " + macs + " additions, no multiplications; weights 32x smaller");
        LutCostModel.LayerCost cost = LutCostModel.of("layer", pq, hw);
        report.add(CnnQuantBench.ID, c.name(), "qcnn-lut op-count model speed-up", cost.speedup(), "x",
                String.format(Locale.ROOT, "%d / %d operations (tables + look-ups)", cost.denseOps(),
                        cost.lutOps()));
        report.add(CnnQuantBench.ID, c.name(), "qcnn-lut weight compression", cost.compression(), "x",
                "codebooks (float32) + codes vs float32 weights");
        report.add(CnnQuantBench.ID, c.name(), "checksum", sink[0] == Float.MAX_VALUE ? 1 : 0, "",
                "keeps the kernels from being optimised away");
    }

    /** Seconds per call of {@code r}, repeated for about {@code seconds}. */
    private static double time(Runnable r, double seconds) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        int calls = 0;
        long now;
        do {
            r.run();
            calls++;
            now = System.nanoTime();
        } while (now - start < budget);
        return (now - start) / 1e9 / calls;
    }
}
