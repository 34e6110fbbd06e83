package org.mlsysworkbench.algorithms.cnnquant;

/**
 * Binary-weight quantizers of one layer with weights {@code W in R^[S][N]}.
 *
 * <ul>
 *   <li>BWN (XNOR-Net): {@code B = sign(W)}, {@code alpha_j = ||w_j||_1 / S}.</li>
 *   <li>BWNH ("BWNH-style", the spec sheet's derived form): minimise {@code ||X^T W - X^T B A||_F^2} with
 *   {@code H = X X^T}, alternating the closed-form {@code alpha_j = (b_j^T H w_j) / (b_j^T H b_j)} and the
 *   row-wise discrete update {@code b_k. = sign(alpha . (HW)_k. - sum_{l != k} H_kl (alpha^2 . b_l.))},
 *   starting from {@code B = sign(W)}. With {@code H = I} it returns BWN's solution exactly.</li>
 * </ul>
 * sign(0) is +1. Stateless, thread-safe.
 */
public final class BinaryWeights {

    private BinaryWeights() {
    }

    /** BWN: signs of W and the mean absolute weight per output channel. */
    public static BinaryCodes bwn(float[] w, int fanIn, int outputs) {
        byte[] b = new byte[w.length];
        float[] alpha = new float[outputs];
        for (int k = 0; k < fanIn; k++) {
            for (int j = 0; j < outputs; j++) {
                float v = w[k * outputs + j];
                b[k * outputs + j] = (byte) (v >= 0 ? 1 : -1);
                alpha[j] += Math.abs(v);
            }
        }
        for (int j = 0; j < outputs; j++) {
            alpha[j] /= fanIn;
        }
        return new BinaryCodes(b, alpha, new double[0]);
    }

    /**
     * {@code H = X X^T} (S x S, row-major) of {@code n} sample rows of {@code x} ({@code [n][S]}), divided by n.
     */
    public static double[] gram(float[] x, int n, int fanIn) {
        double[] h = new double[fanIn * fanIn];
        double[] row = new double[fanIn];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < fanIn; k++) {
                row[k] = x[s * fanIn + k];
            }
            for (int k = 0; k < fanIn; k++) {
                double v = row[k];
                if (v == 0) {
                    continue;
                }
                int off = k * fanIn;
                for (int l = k; l < fanIn; l++) {
                    h[off + l] += v * row[l];
                }
            }
        }
        for (int k = 0; k < fanIn; k++) {
            for (int l = k; l < fanIn; l++) {
                h[k * fanIn + l] /= n;
                h[l * fanIn + k] = h[k * fanIn + l];
            }
        }
        return h;
    }

    /** The identity as a gram matrix (BWNH's sanity check: reduces to BWN). */
    public static double[] identity(int fanIn) {
        double[] h = new double[fanIn * fanIn];
        for (int k = 0; k < fanIn; k++) {
            h[k * fanIn + k] = 1;
        }
        return h;
    }

    /** BWNH by alternating optimisation; {@code h} is the S x S input gram matrix. */
    public static BinaryCodes bwnh(float[] w, int fanIn, int outputs, double[] h, int sweeps) {
        int s = fanIn;
        int n = outputs;
        BinaryCodes init = bwn(w, s, n);
        byte[] b = init.signs().clone();
        double[] alpha = new double[n];
        double[] hw = multiply(h, w, s, n);
        double[] history = new double[sweeps + 1];
        double norm = quadratic(w, hw);
        alphaStep(b, hw, h, alpha, s, n);
        history[0] = Math.sqrt(error(w, b, alpha, h, hw, s, n) / Math.max(1e-30, norm));
        double[] q = new double[s * n];
        for (int sweep = 0; sweep < sweeps; sweep++) {
            // q = H B diag(alpha^2), kept current while rows of B change
            java.util.Arrays.fill(q, 0);
            for (int k = 0; k < s; k++) {
                for (int l = 0; l < s; l++) {
                    double hkl = h[k * s + l];
                    if (hkl == 0) {
                        continue;
                    }
                    int lo = l * n;
                    int ko = k * n;
                    for (int j = 0; j < n; j++) {
                        q[ko + j] += hkl * b[lo + j];
                    }
                }
            }
            for (int k = 0; k < s * n; k++) {
                q[k] *= alpha[k % n] * alpha[k % n];
            }
            for (int k = 0; k < s; k++) {
                double hkk = h[k * s + k];
                int ko = k * n;
                for (int j = 0; j < n; j++) {
                    double a2 = alpha[j] * alpha[j];
                    double others = q[ko + j] - hkk * b[ko + j] * a2;
                    byte nb = (byte) (alpha[j] * hw[ko + j] - others >= 0 ? 1 : -1);
                    if (nb != b[ko + j]) {
                        double delta = (nb - b[ko + j]) * a2;
                        b[ko + j] = nb;
                        for (int l = 0; l < s; l++) {
                            double hlk = h[l * s + k];
                            if (hlk != 0) {
                                q[l * n + j] += hlk * delta;
                            }
                        }
                    }
                }
            }
            alphaStep(b, hw, h, alpha, s, n);
            history[sweep + 1] = Math.sqrt(error(w, b, alpha, h, hw, s, n) / Math.max(1e-30, norm));
        }
        float[] af = new float[n];
        for (int j = 0; j < n; j++) {
            af[j] = (float) alpha[j];
        }
        return new BinaryCodes(b, af, history);
    }

    /** Relative inner-product error {@code ||X^T W - X^T B A|| / ||X^T W||} under gram matrix h. */
    public static double relativeError(float[] w, BinaryCodes codes, double[] h, int fanIn, int outputs) {
        double[] hw = multiply(h, w, fanIn, outputs);
        double[] alpha = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            alpha[j] = codes.alpha()[j];
        }
        double norm = quadratic(w, hw);
        return Math.sqrt(error(w, codes.signs(), alpha, h, hw, fanIn, outputs) / Math.max(1e-30, norm));
    }

    private static double[] multiply(double[] h, float[] w, int s, int n) {
        double[] out = new double[s * n];
        for (int k = 0; k < s; k++) {
            for (int l = 0; l < s; l++) {
                double hkl = h[k * s + l];
                if (hkl == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    out[k * n + j] += hkl * w[l * n + j];
                }
            }
        }
        return out;
    }

    private static void alphaStep(byte[] b, double[] hw, double[] h, double[] alpha, int s, int n) {
        double[] num = new double[n];
        double[] den = new double[n];
        double[] hb = new double[n];
        for (int k = 0; k < s; k++) {
            java.util.Arrays.fill(hb, 0);
            for (int l = 0; l < s; l++) {
                double hkl = h[k * s + l];
                if (hkl == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    hb[j] += hkl * b[l * n + j];
                }
            }
            for (int j = 0; j < n; j++) {
                num[j] += b[k * n + j] * hw[k * n + j];
                den[j] += b[k * n + j] * hb[j];
            }
        }
        for (int j = 0; j < n; j++) {
            alpha[j] = den[j] > 0 ? num[j] / den[j] : 0;
        }
    }

    /** tr(W^T H W), given hw = H W. */
    private static double quadratic(float[] w, double[] hw) {
        double t = 0;
        for (int i = 0; i < w.length; i++) {
            t += w[i] * hw[i];
        }
        return t;
    }

    /** ||X^T (W - B A)||^2 / n = tr((W - BA)^T H (W - BA)). */
    private static double error(float[] w, byte[] b, double[] alpha, double[] h, double[] hw, int s, int n) {
        double[] r = new double[s * n];
        for (int i = 0; i < s * n; i++) {
            r[i] = w[i] - alpha[i % n] * b[i];
        }
        double t = 0;
        double[] hr = new double[n];
        for (int k = 0; k < s; k++) {
            java.util.Arrays.fill(hr, 0);
            for (int l = 0; l < s; l++) {
                double hkl = h[k * s + l];
                if (hkl == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    hr[j] += hkl * r[l * n + j];
                }
            }
            for (int j = 0; j < n; j++) {
                t += r[k * n + j] * hr[j];
            }
        }
        return t;
    }
}
