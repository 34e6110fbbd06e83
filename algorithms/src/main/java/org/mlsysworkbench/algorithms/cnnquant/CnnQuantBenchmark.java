package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * {@code mlsys-workbench bench cnnquant}: per-image inference time of the fc1 layer of the Fashion-MNIST network
 * (1568 -> 256; and the 8x8-digits one, 128 -> 128) in float32, int8, binary and Q-CNN look-up form, on the same
 * inputs (ReLU-like: about half zeros) in one run, as ratios against float32 next to Q-CNN's operation-count
 * model {@code C_s C_t / (C_s K + C_t M)}. Plain Java on the CPU, single-threaded; the CPU backend only.
 */
public final class CnnQuantBenchmark implements BenchmarkSuite {

    @Override
    public String id() {
        return CnnQuantBench.ID;
    }

    @Override
    public String description() {
        return "FC inference per image: float32 vs int8 vs binary vs Q-CNN look-up, measured ratios and the op-count model";
    }

    /** One FC layer's geometry and Q-CNN setting. */
    record Case(String name, int fanIn, int outputs, int subDim, int codewords) {
    }

    @Override
    public void run(BenchmarkReport report, Backend backend, boolean quick, CancellationToken cancel) {
        Case[] cases = {new Case("fc1 1568x256 (Cs'=8, K=16)", 1568, 256, 8, 16),
            new Case("fc1 1568x256 (Cs'=4, K=16)", 1568, 256, 4, 16),
            new Case("fc1 128x128 digits (Cs'=4, K=16)", 128, 128, 4, 16)};
        double budgetSeconds = quick ? 0.15 : 1.0;
        for (Case c : cases) {
            cancel.throwIfCancelled();
            measure(report, c, budgetSeconds);
        }
    }

    private static void measure(BenchmarkReport report, Case c, double budgetSeconds) {
        SplittableRandom rnd = new SplittableRandom(42);
        int s = c.fanIn();
        int n = c.outputs();
        int images = 64;
        float[] w = new float[s * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (SmallCnn.gaussian(rnd) * Math.sqrt(2.0 / s));
        }
        float[] x = new float[images * s];
        for (int i = 0; i < x.length; i++) {
            double v = SmallCnn.gaussian(rnd);
            x[i] = v > 0 ? (float) v : 0f;
        }
        float[] bias = new float[n];
        PqLayer pq = PqLayer.learn(w, s, n, 1, c.subDim(), c.codewords(), null, null, 0, 8, 0, rnd);
        BinaryCodes bin = BinaryWeights.bwn(w, s, n);
        float[] plus = FcKernels.plusMask(bin);
        FcKernels.Int8Weights w8 = FcKernels.Int8Weights.of(w, s, n);
        UniformQuantizer xq = UniformQuantizer.forRange(0, 4, 8);
        byte[] x8 = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            x8[i] = (byte) xq.quantize(x[i]);
        }
        float[] out = new float[n];
        float[] facc = new float[n];
        int[] iacc = new int[n];
        float[] table = pq.newTable(1);
        float[] sink = new float[1];
        Runnable dense = () -> {
            for (int i = 0; i < images; i++) {
                FcKernels.dense(w, s, n, x, i * s, bias, out);
                sink[0] += out[i % n];
            }
        };
        Runnable int8 = () -> {
            for (int i = 0; i < images; i++) {
                FcKernels.int8(w8, x8, i * s, xq.scale(), xq.zeroPoint(), bias, iacc, out);
                sink[0] += out[i % n];
            }
        };
        Runnable binary = () -> {
            for (int i = 0; i < images; i++) {
                FcKernels.binary(plus, bin.alpha(), s, n, x, i * s, bias, facc, out);
                sink[0] += out[i % n];
            }
        };
        Runnable lut = () -> {
            for (int i = 0; i < images; i++) {
                pq.lutForwardFc(x, i * s, bias, out, 0, table);
                sink[0] += out[i % n];
            }
        };
        // interleaved rounds, best per kernel: every kernel sees the same machine state
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        Runnable[] kernels = {dense, int8, binary, lut};
        for (Runnable k : kernels) {
            time(k, budgetSeconds / 4);
        }
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < kernels.length; k++) {
                best[k] = Math.min(best[k], time(kernels[k], budgetSeconds / 5) / images);
            }
        }
        String[] names = {"float32", "int8", "binary", "qcnn-lut"};
        for (int k = 0; k < names.length; k++) {
            report.add(CnnQuantBench.ID, c.name(), names[k] + " time per image", best[k] * 1e6, "us",
                    "best of 5 rounds, single thread");
        }
        for (int k = 1; k < names.length; k++) {
            report.add(CnnQuantBench.ID, c.name(), names[k] + " speed-up over float32", best[0] / best[k], "x",
                    "measured in this run");
        }
        LutCostModel.LayerCost cost = LutCostModel.fc("fc", s, n, s / c.subDim(), c.codewords());
        report.add(CnnQuantBench.ID, c.name(), "qcnn-lut op-count model speed-up", cost.speedup(), "x",
                String.format(Locale.ROOT, "%d / (%d + %d) operations", (long) s * n, (long) s * c.codewords(),
                        (long) n * (s / c.subDim())));
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
