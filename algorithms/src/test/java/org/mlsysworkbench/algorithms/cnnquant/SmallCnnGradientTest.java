package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the hand-derived gradients (parameters and input), in both BN modes. */
class SmallCnnGradientTest {

    private static final CnnShape SHAPE = new CnnShape(8, 8, 3, 4, 5, 3);

    private static ImageSet randomSet(int n, SplittableRandom rnd) {
        float[] px = new float[n * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextDouble();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return new ImageSet("random", n, 8, 8, px, y, List.of("a", "b", "c"));
    }

    private static double loss(SmallCnn m, float[] x, int[] y, boolean training) {
        SmallCnn.Pass p = new SmallCnn.Pass(m);
        float[][] keepMean = {m.bnMean[0].clone(), m.bnMean[1].clone()};
        float[][] keepVar = {m.bnVar[0].clone(), m.bnVar[1].clone()};
        p.forward(null, 0, 0, x, training);
        double l = p.crossEntropy(y, 0, null);
        for (int i = 0; i < 2; i++) {
            m.bnMean[i] = keepMean[i];
            m.bnVar[i] = keepVar[i];
        }
        return l;
    }

    @Test
    void parameterAndInputGradientsMatchFiniteDifferences() {
        for (boolean training : new boolean[] {true, false}) {
            SplittableRandom rnd = new SplittableRandom(3);
            ImageSet set = randomSet(4, rnd);
            SmallCnn m = SmallCnn.initialised(SHAPE, set, rnd);
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < SHAPE.outputs(i); c++) {
                    m.bnGamma[i][c] = 0.5f + (float) rnd.nextDouble();
                    m.bnBeta[i][c] = (float) rnd.nextDouble() - 0.3f;
                    m.bnMean[i][c] = (float) rnd.nextDouble() * 0.2f;
                    m.bnVar[i][c] = 0.5f + (float) rnd.nextDouble();
                }
            }
            float[] x = BnSynthesizer.normalised(m, set, 4);
            int[] y = set.labels();
            SmallCnn.Pass pass = new SmallCnn.Pass(m);
            float[][] keepMean = {m.bnMean[0].clone(), m.bnMean[1].clone()};
            float[][] keepVar = {m.bnVar[0].clone(), m.bnVar[1].clone()};
            pass.forward(null, 0, 0, x, training);
            m.bnMean[0] = keepMean[0];
            m.bnMean[1] = keepMean[1];
            m.bnVar[0] = keepVar[0];
            m.bnVar[1] = keepVar[1];
            float[] dLogits = new float[4 * 3];
            pass.crossEntropy(y, 0, dLogits);
            SmallCnn.Grads g = new SmallCnn.Grads(SHAPE);
            float[] dx = new float[x.length];
            pass.backward(dLogits, null, g, dx);

            double eps = 2e-3;
            // weights of every layer, a few entries each; tolerance: 2 % relative or 2e-3 absolute (float32, eps 1e-2)
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                for (int probe = 0; probe < 5; probe++) {
                    int k = rnd.nextInt(m.weights[l].length);
                    float keep = m.weights[l][k];
                    m.weights[l][k] = (float) (keep + eps);
                    double up = loss(m, x, y, training);
                    m.weights[l][k] = (float) (keep - eps);
                    double down = loss(m, x, y, training);
                    m.weights[l][k] = keep;
                    double fd = (up - down) / (2 * eps);
                    assertThat((double) g.weights[l][k]).as("layer %d weight %d (training %s)", l, k, training)
                            .isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-3 + 0.02 * Math.abs(fd)));
                }
            }
            for (int i = 0; i < 2; i++) {
                int c = rnd.nextInt(SHAPE.outputs(i));
                float keep = m.bnGamma[i][c];
                m.bnGamma[i][c] = (float) (keep + eps);
                double up = loss(m, x, y, training);
                m.bnGamma[i][c] = (float) (keep - eps);
                double down = loss(m, x, y, training);
                m.bnGamma[i][c] = keep;
                double fd = (up - down) / (2 * eps);
                assertThat((double) g.bnGamma[i][c]).isCloseTo(fd,
                        org.assertj.core.data.Offset.offset(2e-3 + 0.02 * Math.abs(fd)));
            }
            for (int probe = 0; probe < 8; probe++) {
                int k = rnd.nextInt(x.length);
                float keep = x[k];
                x[k] = (float) (keep + eps);
                double up = loss(m, x, y, training);
                x[k] = (float) (keep - eps);
                double down = loss(m, x, y, training);
                x[k] = keep;
                double fd = (up - down) / (2 * eps);
                assertThat((double) dx[k]).as("input %d (training %s)", k, training)
                        .isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-3 + 0.02 * Math.abs(fd)));
            }
        }
    }

    @Test
    void bnKlGradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        ImageSet set = randomSet(3, rnd);
        SmallCnn m = SmallCnn.initialised(SHAPE, set, rnd);
        for (int c = 0; c < SHAPE.c1(); c++) {
            m.bnMean[0][c] = 0.1f * c;
            m.bnVar[0][c] = 0.7f + 0.2f * c;
        }
        float[] x = BnSynthesizer.normalised(m, set, 3);
        SmallCnn.Pass pass = new SmallCnn.Pass(m);
        pass.forward(null, 0, 0, x, false);
        float[] dz = new float[3 * SHAPE.outputSize(0)];
        BnSynthesizer.klAndGradient(m, pass, 0, dz);
        float[] dx = new float[x.length];
        pass.backward(new float[3 * 3], new float[][] {dz, null}, null, dx);
        double eps = 1e-2;
        for (int probe = 0; probe < 8; probe++) {
            int k = rnd.nextInt(x.length);
            float keep = x[k];
            x[k] = (float) (keep + eps);
            double up = BnSynthesizer.bnKl(m, x)[0];
            x[k] = (float) (keep - eps);
            double down = BnSynthesizer.bnKl(m, x)[0];
            x[k] = keep;
            double fd = (up - down) / (2 * eps);
            assertThat((double) dx[k]).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-3 + 0.03 * Math.abs(fd)));
        }
    }

    @Test
    void klIsZeroWhenStatisticsMatch() {
        SplittableRandom rnd = new SplittableRandom(9);
        ImageSet set = randomSet(6, rnd);
        SmallCnn m = SmallCnn.initialised(SHAPE, set, rnd);
        float[] x = BnSynthesizer.normalised(m, set, 6);
        SmallCnn.Pass pass = new SmallCnn.Pass(m);
        pass.forward(null, 0, 0, x, false);
        for (int l = 0; l < 2; l++) {
            for (int c = 0; c < SHAPE.outputs(l); c++) {
                m.bnMean[l][c] = pass.batchMean[l][c];
                m.bnVar[l][c] = pass.batchVar[l][c];
            }
        }
        // only the conv1 statistics are fixed by conv1's input; conv2's batch stats depend on BN1 too
        double kl0 = BnSynthesizer.bnKl(m, x)[0];
        assertThat(kl0).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
    }
}
