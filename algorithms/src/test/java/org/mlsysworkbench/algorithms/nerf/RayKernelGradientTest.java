package org.mlsysworkbench.algorithms.nerf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * Finite-difference checks of the hand-written backward pass of {@link RayKernel}: compositing with cumulative
 * transmittance, the density activation, trilinear scatter, the ANN and the LIF BPTT (TC and TP, with the spike made
 * smooth and the reset attached so that the exact derivative exists; production only swaps in the Heaviside and
 * drops the reset term).
 */
class RayKernelGradientTest {

    private static final float[] BG = {0.2f, 0.5f, 0.9f};

    @ParameterizedTest
    @ValueSource(strings = {"coarse", "ann", "snn-tc", "snn-tp"})
    void backwardMatchesFiniteDifferences(String mode) {
        SplittableRandom rnd = new SplittableRandom(11);
        ColorNet net = null;
        int ch = 3;
        if (!mode.equals("coarse")) {
            ch = 4;
            net = ColorNet.init(mode.equals("ann") ? ColorNet.Kind.ANN : ColorNet.Kind.SNN, ch, 8, LifNeuron.PAPER,
                    mode.equals("snn-tp") ? TemporalPacking.PADDING : TemporalPacking.CONDENSING, rnd);
        }
        NerfModel m = NerfModel.empty(new float[]{-1, -1, -1}, new float[]{1, 1, 1}, 5, ch, net, 0.05, 0.5f, 0.05f,
                1e-9f, 2f, 6f);
        for (int i = 0; i < m.density.length; i++) {
            m.density[i] = (float) (rnd.nextDouble() * 3 - 2);
            m.mask[i] = rnd.nextDouble() > 0.25;
        }
        for (int i = 0; i < m.features.length; i++) {
            m.features[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        if (net != null) {
            // larger weights so some smooth "spikes" are near threshold and gradients are not vanishing
            for (int i = 0; i < net.w1.length; i++) {
                net.w1[i] *= 3;
            }
        }
        float[][] origins = {{0.3f, -3.5f, 0.4f}, {-3.2f, 0.2f, 1.1f}};
        float[][] dirs = new float[origins.length][];
        for (int r = 0; r < origins.length; r++) {
            float[] o = origins[r];
            float[] d = {-o[0] + 0.1f * r, -o[1], -o[2] * 0.8f};
            float n = (float) Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            dirs[r] = new float[]{d[0] / n, d[1] / n, d[2] / n};
        }
        float[] upstream = {0.7f, -1.3f, 0.4f};
        RayKernel k = new RayKernel();
        k.smoothSpikes = true;
        k.attachedReset = true;

        NetGrads g = new NetGrads(net, ch);
        g.reset();
        for (int r = 0; r < origins.length; r++) {
            k.forward(m, origins[r], dirs[r], 0.37f, BG);
            k.backward(upstream, BG, g);
        }
        assertThat(g.nd).as("density records").isGreaterThan(5);
        double[] gD = new double[m.density.length];
        double[] gF = new double[m.features.length];
        scatter(m, g, gD, gF);

        Loss loss = () -> {
            double l = 0;
            for (int r = 0; r < origins.length; r++) {
                k.forward(m, origins[r], dirs[r], 0.37f, BG);
                for (int c = 0; c < 3; c++) {
                    l += upstream[c] * k.color[c];
                }
            }
            return l;
        };
        int checked = check(m.density, gD, loss, 2e-3f) + check(m.features, gF, loss, 2e-3f);
        if (net != null) {
            checked += check(net.w1, toDouble(g.w1), loss, 2e-3f) + check(net.w2, toDouble(g.w2), loss, 2e-3f)
                    + check(net.w3, toDouble(g.w3), loss, 2e-3f);
        }
        assertThat(checked).as("parameters with a non-negligible gradient").isGreaterThan(10);
    }

    interface Loss {
        double value();
    }

    /** Central differences on the parameters with the largest analytic gradients; returns how many were checked. */
    private static int check(float[] p, double[] analytic, Loss loss, float eps) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(analytic[b]), Math.abs(analytic[a])));
        int n = 0;
        for (int q = 0; q < Math.min(12, p.length); q++) {
            int i = idx[q];
            if (Math.abs(analytic[i]) < 1e-4) {
                break;
            }
            float keep = p[i];
            p[i] = keep + eps;
            double up = loss.value();
            p[i] = keep - eps;
            double down = loss.value();
            p[i] = keep;
            double fd = (up - down) / (2 * eps);
            // float32 forward: 2e-3 steps give about 1e-3 relative noise; 3% + 2e-4 absolute leaves margin
            assertThat(fd).as("parameter " + i).isCloseTo(analytic[i],
                    org.assertj.core.data.Offset.offset(0.03 * Math.abs(analytic[i]) + 2e-4));
            n++;
        }
        return n;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static void scatter(NerfModel m, NetGrads g, double[] gD, double[] gF) {
        int nz = m.nz;
        int sx = m.ny * nz;
        for (int r = 0; r < g.nd; r++) {
            for (int k = 0; k < 8; k++) {
                gD[corner(g.dBase[r], k, sx, nz)] += weight(g.dFrac, r, k) * g.dVal[r];
            }
        }
        for (int r = 0; r < g.nf; r++) {
            for (int k = 0; k < 8; k++) {
                int v = corner(g.fBase[r], k, sx, nz);
                for (int c = 0; c < m.channels; c++) {
                    gF[v * m.channels + c] += weight(g.fFrac, r, k) * g.fVal[r * m.channels + c];
                }
            }
        }
    }

    private static int corner(int b, int k, int sx, int nz) {
        return b + (k >> 2) * sx + ((k >> 1) & 1) * nz + (k & 1);
    }

    private static double weight(float[] f, int r, int k) {
        double fx = f[3 * r];
        double fy = f[3 * r + 1];
        double fz = f[3 * r + 2];
        return ((k >> 2) == 1 ? fx : 1 - fx) * (((k >> 1) & 1) == 1 ? fy : 1 - fy) * ((k & 1) == 1 ? fz : 1 - fz);
    }
}
