package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.GradCheck;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;
import org.mlsysworkbench.algorithms.testing.TestData;

/** The generator variant of zero-shot calibration: its gradient path, and calibration quality on the digits. */
class GeneratorSynthesizerTest {

    private static final CnnShape TINY = new CnnShape(8, 8, 3, 4, 5, 3);

    @Test
    void generatorAndImageLossBridgeMatchFiniteDifferences() {
        // F64 generator, a smooth double objective on the images: checks G's graph and the bridge op's chain rule
        SplittableRandom rnd = new SplittableRandom(5);
        GeneratorSynthesizer.Generator g = new GeneratorSynthesizer.Generator(DType.F64, 3, 3, 6, 16, -0.5, 2.0, rnd);
        Tensor codes = g.codes(new int[] {0, 1, 2, 1}, rnd);
        double[] c = new double[4 * 16];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextDouble() - 0.5;
        }
        GeneratorSynthesizer.ImageObjective obj = (x, grad) -> {
            double l = 0;
            for (int i = 0; i < x.length; i++) {
                l += c[i] * x[i] * x[i] + Math.sin(x[i]);
                grad[i] = 2 * c[i] * x[i] + Math.cos(x[i]);
            }
            return l;
        };
        GradCheck.Result r = GradCheck.check(() -> GeneratorSynthesizer.imageLoss(g.images(codes), obj),
                g.parameters(), 40, 7, false);
        // the workbench's acceptance bound for F64 gradient checks
        assertThat(r.maxRelError()).as(r.toString()).isLessThan(1e-5);
        assertThat(r.checked()).isEqualTo(36 + 6 + 40 + 16);
        // and the gradient that agreed is not trivially zero
        double norm = 0;
        for (Tensor p : g.parameters()) {
            for (double v : p.grad().toDoubleArray()) {
                norm += v * v;
            }
        }
        assertThat(norm).isGreaterThan(1e-2);
    }

    @Test
    void cnnInputGradientFlowsIntoTheGenerator() {
        // the full path G -> frozen CNN (float) -> BN KL + CE + TV: a directional derivative over all G parameters
        SplittableRandom rnd = new SplittableRandom(9);
        float[] px = new float[6 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextDouble();
        }
        ImageSet set = new ImageSet("random", 6, 8, 8, px, new int[] {0, 1, 2, 0, 1, 2}, List.of("a", "b", "c"));
        SmallCnn m = SmallCnn.initialised(TINY, set, rnd);
        for (int l = 0; l < 2; l++) {
            for (int ch = 0; ch < TINY.outputs(l); ch++) {
                m.bnMean[l][ch] = (float) rnd.nextDouble() * 0.2f;
                m.bnVar[l][ch] = 0.5f + (float) rnd.nextDouble();
            }
        }
        GeneratorSynthesizer.Generator g = new GeneratorSynthesizer.Generator(DType.F64, 4, 3, 8, 64, -1.0, 2.0, rnd);
        int[] labels = {0, 1, 2, 0, 1, 2};
        Tensor codes = g.codes(labels, rnd);
        GeneratorSynthesizer.ImageObjective obj = GeneratorSynthesizer.cnnObjective(m, labels, 0.5, 0.01, null, null);
        List<Tensor> params = g.parameters();
        for (Tensor p : params) {
            p.zeroGrad();
        }
        try (Tape tape = Tape.record()) {
            tape.backward(GeneratorSynthesizer.imageLoss(g.images(codes), obj));
        }
        double analytic = 0;
        double[][] dir = new double[params.size()][];
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            dir[k] = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                dir[k][i] = rnd.nextDouble() - 0.5;
                analytic += dir[k][i] * p.grad().get(i);
            }
        }
        double h = 1e-3;
        double[] l = new double[2];
        for (int side = 0; side < 2; side++) {
            double step = side == 0 ? h : -h;
            shift(params, dir, step);
            l[side] = GeneratorSynthesizer.imageLoss(g.images(codes), obj).item();
            shift(params, dir, -step);
        }
        double numeric = (l[0] - l[1]) / (2 * h);
        assertThat(Math.abs(analytic)).isGreaterThan(1e-3);
        // the CNN computes in float: central differences with h = 1e-3 agree to about 1e-4 relative; 1 % bound
        assertThat(Math.abs(numeric - analytic) / Math.abs(analytic)).as("numeric %s, analytic %s", numeric, analytic)
                .isLessThan(1e-2);
    }

    private static void shift(List<Tensor> params, double[][] dir, double step) {
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            for (int i = 0; i < p.size(); i++) {
                p.set(i, p.get(i) + step * dir[k][i]);
            }
        }
    }

    @Test
    void onDigitsTheBnLossFallsAndW8A8MatchesRealCalibration() throws Exception {
        VisionDatasets.Split data = VisionDatasets.load(VisionDatasets.Kind.DIGITS, Path.of("/nonexistent"),
                TestData.root(), 0, 0);
        ImageSet train = data.train();
        ImageSet test = data.test();
        SplittableRandom rnd = new SplittableRandom(21);
        CnnShape shape = new CnnShape(8, 8, 8, 16, 64, train.classes());
        SmallCnn fp = SmallCnn.initialised(shape, train, rnd);
        CnnTrainer.train(fp, train, new CnnTrainer.Settings(12, 32, 3e-3, 0), rnd, null, null, true,
                ProgressListener.NONE, CancellationToken.none());
        SmallCnn folded = fp.foldBatchNorm();
        GeneratorSynthesizer.Result gen = GeneratorSynthesizer.synthesize(fp, 64,
                GeneratorSynthesizer.Settings.defaults(), 0.5, 0.0005, rnd.split(), ProgressListener.NONE,
                CancellationToken.none());
        double[] kl = gen.klHistory();
        double first = mean(kl, 0, 10);
        double lastTen = mean(kl, kl.length - 10, kl.length);
        // training the generator lowers the BN-statistics KL of its batches at least fourfold (measured 0.27 -> 0.036)
        assertThat(lastTen).as("first %s, last %s", first, lastTen).isLessThan(first / 4);
        float[] real = BnSynthesizer.normalised(fp, train, 64);
        double accReal = ActivationRanges.measure(folded, real, ActivationRanges.Calibrator.MINMAX, 99.99, "real")
                .quantize(folded, 8, 8).accuracy(test);
        double accGen = ActivationRanges.measure(folded, gen.images(), ActivationRanges.Calibrator.MINMAX, 99.99,
                "gen").quantize(folded, 8, 8).accuracy(test);
        double accFp = fp.accuracy(test);
        assertThat(accFp).isGreaterThan(0.85);
        // W8A8 calibrated on generator images: within 1.5 points of real-data calibration (test set of 360 images;
        // measured FP32 92.78 %, W8A8 real 93.06 %, W8A8 generator 93.06 %)
        assertThat(accGen).as("generator %s, real %s", accGen, accReal).isGreaterThan(accReal - 0.015);
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s / (to - from);
    }
}
