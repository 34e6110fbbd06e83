package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A product-quantized (Q-CNN) weight layer. The fan-in of a {@code [S][N]} weight matrix is
 * {@code S = C_s * positions} (positions = d_k^2 = 9 for a 3x3 conv, 1 for an FC layer, fan-in index
 * {@code c * positions + pos}); the C_s input channels are split into {@code M = C_s / C_s'} subspaces of
 * {@code C_s'} channels. Each (output, position, subspace) sub-vector is replaced by one of K codewords of its
 * subspace's codebook, shared by all outputs and positions.
 *
 * <p>Layouts: {@code codebooks[m]} is {@code [K][C_s']} row-major; {@code codes} is {@code [C_t][positions][M]}
 * (the shipped Q-CNN layout). Instances are immutable after {@link #learn}; the LUT kernels are thread-safe.
 */
public final class PqLayer {

    public final int fanIn;
    public final int outputs;
    public final int positions;
    public final int channels;
    public final int subDim;
    public final int subspaces;
    public final int codewords;
    final float[][] codebooks;
    final short[] codes;
    /** Relative response error {@code ||T - X W^||^2 / ||T||^2} after k-means and after each correction sweep. */
    private double[] responseErrorHistory = new double[0];

    private PqLayer(int fanIn, int outputs, int positions, int subDim, int codewords) {
        if (fanIn % positions != 0 || (fanIn / positions) % subDim != 0) {
            throw new IllegalArgumentException("fan-in " + fanIn + " is not " + positions + " positions x a multiple of "
                    + subDim + " channels");
        }
        this.fanIn = fanIn;
        this.outputs = outputs;
        this.positions = positions;
        this.channels = fanIn / positions;
        this.subDim = subDim;
        this.subspaces = channels / subDim;
        this.codewords = codewords;
        this.codebooks = new float[subspaces][codewords * subDim];
        this.codes = new short[outputs * positions * subspaces];
    }

    public double[] responseErrorHistory() {
        return responseErrorHistory.clone();
    }

    /** Codebook of subspace m, {@code [K][C_s']} row-major (a copy). */
    public float[] codebook(int m) {
        return codebooks[m].clone();
    }

    /** Code of (output t, position pos, subspace m). */
    public int code(int t, int pos, int m) {
        return codes[(t * positions + pos) * subspaces + m];
    }

    /** How often each codeword of subspace m is used. */
    public int[] codewordUsage(int m) {
        int[] u = new int[codewords];
        for (int t = 0; t < outputs; t++) {
            for (int pos = 0; pos < positions; pos++) {
                u[code(t, pos, m)]++;
            }
        }
        return u;
    }

    /**
     * Learns codebooks and codes: k-means per subspace on the weight sub-vectors, then, when inputs are given,
     * {@code sweeps} rounds of Q-CNN's error correction (block-coordinate descent over subspaces minimising the
     * response error {@code ||T - X W^||^2}: least-squares codebook step, exhaustive code step).
     *
     * @param w       weights {@code [S][N]}
     * @param x       input samples {@code [n][S]} (im2col patches for a conv, every output location a sample), or null
     * @param targets target responses {@code [n][N]} without bias (from the original network), or null
     */
    public static PqLayer learn(float[] w, int fanIn, int outputs, int positions, int subDim, int codewords,
                                float[] x, float[] targets, int n, int kmeansIters, int sweeps, SplittableRandom rnd) {
        PqLayer q = new PqLayer(fanIn, outputs, positions, subDim, codewords);
        for (int m = 0; m < q.subspaces; m++) {
            q.kmeans(w, m, kmeansIters, rnd);
        }
        if (x != null && targets != null && n > 0) {
            q.correct(x, targets, n, sweeps);
        }
        return q;
    }

    private int weightIndex(int c, int pos, int t) {
        return (c * positions + pos) * outputs + t;
    }

    private void kmeans(float[] w, int m, int iters, SplittableRandom rnd) {
        int d = subDim;
        int g = outputs * positions;
        float[] v = new float[g * d];
        for (int t = 0; t < outputs; t++) {
            for (int pos = 0; pos < positions; pos++) {
                int vi = t * positions + pos;
                for (int i = 0; i < d; i++) {
                    v[vi * d + i] = w[weightIndex(m * d + i, pos, t)];
                }
            }
        }
        float[] cb = codebooks[m];
        int k = codewords;
        // k-means++ seeding
        double[] dist = new double[g];
        Arrays.fill(dist, Double.MAX_VALUE);
        int first = rnd.nextInt(g);
        System.arraycopy(v, first * d, cb, 0, d);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < g; i++) {
                dist[i] = Math.min(dist[i], sq(v, i * d, cb, (c - 1) * d, d));
                total += dist[i];
            }
            int pick = rnd.nextInt(g);
            if (total > 0) {
                double r = rnd.nextDouble() * total;
                for (int i = 0; i < g; i++) {
                    r -= dist[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            System.arraycopy(v, pick * d, cb, c * d, d);
        }
        int[] assign = new int[g];
        double[] sum = new double[k * d];
        int[] count = new int[k];
        for (int it = 0; it <= iters; it++) {
            for (int i = 0; i < g; i++) {
                int best = 0;
                double bd = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double dd = sq(v, i * d, cb, c * d, d);
                    if (dd < bd) {
                        bd = dd;
                        best = c;
                    }
                }
                assign[i] = best;
            }
            if (it == iters) {
                break;
            }
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            for (int i = 0; i < g; i++) {
                count[assign[i]]++;
                for (int j = 0; j < d; j++) {
                    sum[assign[i] * d + j] += v[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        cb[c * d + j] = (float) (sum[c * d + j] / count[c]);
                    }
                }
            }
        }
        for (int t = 0; t < outputs; t++) {
            for (int pos = 0; pos < positions; pos++) {
                codes[(t * positions + pos) * subspaces + m] = (short) assign[t * positions + pos];
            }
        }
    }

    private static double sq(float[] a, int ao, float[] b, int bo, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            double t = a[ao + i] - b[bo + i];
            s += t * t;
        }
        return s;
    }

    /** The reconstructed weights {@code [S][N]}. */
    public float[] reconstruct() {
        float[] w = new float[fanIn * outputs];
        reconstructInto(w);
        return w;
    }

    /** Writes the reconstructed weights {@code [S][N]} into {@code w}. */
    public void reconstructInto(float[] w) {
        for (int t = 0; t < outputs; t++) {
            for (int pos = 0; pos < positions; pos++) {
                for (int m = 0; m < subspaces; m++) {
                    int k = code(t, pos, m);
                    for (int i = 0; i < subDim; i++) {
                        w[weightIndex(m * subDim + i, pos, t)] = codebooks[m][k * subDim + i];
                    }
                }
            }
        }
    }

    /**
     * The gradient of the codebooks from that of the reconstructed weights (codes fixed):
     * {@code dL/dD_m[k][i] = sum over (t, pos) coded k in subspace m of dL/dW[(m C_s' + i, pos)][t]}.
     *
     * @param gradW {@code [S][N]}
     * @param out   per subspace {@code [K][C_s']}, overwritten
     */
    public void codebookGradient(float[] gradW, float[][] out) {
        for (float[] o : out) {
            Arrays.fill(o, 0f);
        }
        for (int t = 0; t < outputs; t++) {
            for (int pos = 0; pos < positions; pos++) {
                for (int m = 0; m < subspaces; m++) {
                    int k = code(t, pos, m);
                    float[] o = out[m];
                    for (int i = 0; i < subDim; i++) {
                        o[k * subDim + i] += gradW[weightIndex(m * subDim + i, pos, t)];
                    }
                }
            }
        }
    }

    private void correct(float[] x, float[] targets, int n, int sweeps) {
        int d = subDim;
        int nOut = outputs;
        int np = positions;
        float[] wHat = reconstruct();
        // E = T - X W^, the current response error
        double[] e = new double[n * nOut];
        double tNorm = 0;
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < nOut; t++) {
                e[s * nOut + t] = targets[s * nOut + t];
                tNorm += (double) targets[s * nOut + t] * targets[s * nOut + t];
            }
            for (int i = 0; i < fanIn; i++) {
                float xv = x[s * fanIn + i];
                if (xv == 0f) {
                    continue;
                }
                for (int t = 0; t < nOut; t++) {
                    e[s * nOut + t] -= xv * wHat[i * nOut + t];
                }
            }
        }
        double[] history = new double[sweeps + 1];
        history[0] = sumSq(e) / Math.max(1e-30, tNorm);
        int kd = codewords * d;
        for (int sweep = 0; sweep < sweeps; sweep++) {
            for (int m = 0; m < subspaces; m++) {
                // cross-position grams G[p][q] = sum_n x_{n,p} x_{n,q}^T (d x d) and U0[p][t] = X_p^T E_t
                double[][] g = new double[np * np][d * d];
                double[][] u0 = new double[np][nOut * d];
                for (int s = 0; s < n; s++) {
                    int xo = s * fanIn;
                    int eo = s * nOut;
                    for (int p = 0; p < np; p++) {
                        for (int i = 0; i < d; i++) {
                            float xi = x[xo + (m * d + i) * np + p];
                            if (xi == 0f) {
                                continue;
                            }
                            for (int q = 0; q < np; q++) {
                                double[] gpq = g[p * np + q];
                                for (int j = 0; j < d; j++) {
                                    gpq[i * d + j] += xi * x[xo + (m * d + j) * np + q];
                                }
                            }
                            double[] up = u0[p];
                            for (int t = 0; t < nOut; t++) {
                                up[t * d + i] += xi * e[eo + t];
                            }
                        }
                    }
                }
                // current sub-vectors w^_{t,p} of this subspace, [t][p][d]
                double[] cur = new double[nOut * np * d];
                for (int t = 0; t < nOut; t++) {
                    for (int p = 0; p < np; p++) {
                        for (int i = 0; i < d; i++) {
                            cur[(t * np + p) * d + i] = wHat[((m * d + i) * np + p) * nOut + t];
                        }
                    }
                }
                double[] old = cur.clone();
                float[] cb = codebooks[m];
                // D-step: joint least squares over the K codewords (cross-position terms included)
                double[] a = new double[kd * kd];
                double[] rhs = new double[kd];
                for (int t = 0; t < nOut; t++) {
                    for (int p = 0; p < np; p++) {
                        int kp = code(t, p, m);
                        double[] up = u0[p];
                        for (int i = 0; i < d; i++) {
                            double r = up[t * d + i];
                            for (int q = 0; q < np; q++) {
                                double[] gpq = g[p * np + q];
                                for (int j = 0; j < d; j++) {
                                    r += gpq[i * d + j] * cur[(t * np + q) * d + j];
                                }
                            }
                            rhs[kp * d + i] += r;
                        }
                        for (int q = 0; q < np; q++) {
                            int kq = code(t, q, m);
                            double[] gpq = g[p * np + q];
                            for (int i = 0; i < d; i++) {
                                for (int j = 0; j < d; j++) {
                                    a[(kp * d + i) * kd + kq * d + j] += gpq[i * d + j];
                                }
                            }
                        }
                    }
                }
                double tr = 0;
                for (int i = 0; i < kd; i++) {
                    tr += a[i * kd + i];
                }
                // proximal ridge: unused codewords stay where they are, the others barely feel it
                double ridge = 1e-6 * Math.max(tr / kd, 1e-12);
                for (int k = 0; k < codewords; k++) {
                    boolean empty = a[(k * d) * kd + k * d] == 0;
                    double lam = empty ? 1.0 : ridge;
                    for (int i = 0; i < d; i++) {
                        a[(k * d + i) * kd + k * d + i] += lam;
                        rhs[k * d + i] += lam * cb[k * d + i];
                    }
                }
                double[] sol = solveSpd(a, rhs, kd);
                if (sol != null) {
                    for (int i = 0; i < kd; i++) {
                        cb[i] = (float) sol[i];
                    }
                }
                // refresh w^ and U0 after the codebook change: U0[p][t] -= sum_q G[p][q] (w^new - w^old)_{t,q}
                for (int t = 0; t < nOut; t++) {
                    for (int p = 0; p < np; p++) {
                        int k = code(t, p, m);
                        for (int i = 0; i < d; i++) {
                            cur[(t * np + p) * d + i] = cb[k * d + i];
                        }
                    }
                    for (int p = 0; p < np; p++) {
                        for (int q = 0; q < np; q++) {
                            double[] gpq = g[p * np + q];
                            for (int i = 0; i < d; i++) {
                                double acc = 0;
                                for (int j = 0; j < d; j++) {
                                    int at = (t * np + q) * d + j;
                                    acc += gpq[i * d + j] * (cur[at] - old[at]);
                                }
                                u0[p][t * d + i] -= acc;
                            }
                        }
                    }
                }
                // B-step: per (t, p) in turn, the codeword with the smallest residual error, others fixed
                for (int t = 0; t < nOut; t++) {
                    for (int p = 0; p < np; p++) {
                        double[] gpp = g[p * np + p];
                        double[] v = new double[d];
                        for (int i = 0; i < d; i++) {
                            double acc = u0[p][t * d + i];
                            for (int j = 0; j < d; j++) {
                                acc += gpp[i * d + j] * cur[(t * np + p) * d + j];
                            }
                            v[i] = acc;
                        }
                        int best = 0;
                        double bestScore = Double.MAX_VALUE;
                        for (int k = 0; k < codewords; k++) {
                            double quad = 0;
                            double lin = 0;
                            for (int i = 0; i < d; i++) {
                                double gi = 0;
                                for (int j = 0; j < d; j++) {
                                    gi += gpp[i * d + j] * cb[k * d + j];
                                }
                                quad += cb[k * d + i] * gi;
                                lin += cb[k * d + i] * v[i];
                            }
                            double score = quad - 2 * lin;
                            if (score < bestScore) {
                                bestScore = score;
                                best = k;
                            }
                        }
                        if (best != code(t, p, m)) {
                            codes[(t * np + p) * subspaces + m] = (short) best;
                            double[] delta = new double[d];
                            for (int i = 0; i < d; i++) {
                                delta[i] = cb[best * d + i] - cur[(t * np + p) * d + i];
                                cur[(t * np + p) * d + i] = cb[best * d + i];
                            }
                            for (int q = 0; q < np; q++) {
                                double[] gqp = g[q * np + p];
                                for (int i = 0; i < d; i++) {
                                    double acc = 0;
                                    for (int j = 0; j < d; j++) {
                                        acc += gqp[i * d + j] * delta[j];
                                    }
                                    u0[q][t * d + i] -= acc;
                                }
                            }
                        }
                    }
                }
                // E -= X_m (W^new - W^old), and store the new sub-vectors
                float[] delta = new float[np * d * nOut];
                for (int t = 0; t < nOut; t++) {
                    for (int p = 0; p < np; p++) {
                        for (int i = 0; i < d; i++) {
                            int at = (t * np + p) * d + i;
                            delta[(p * d + i) * nOut + t] = (float) (cur[at] - old[at]);
                            wHat[((m * d + i) * np + p) * nOut + t] = (float) cur[at];
                        }
                    }
                }
                for (int s = 0; s < n; s++) {
                    int xo = s * fanIn;
                    int eo = s * nOut;
                    for (int p = 0; p < np; p++) {
                        for (int i = 0; i < d; i++) {
                            float xi = x[xo + (m * d + i) * np + p];
                            if (xi == 0f) {
                                continue;
                            }
                            int dOff = (p * d + i) * nOut;
                            for (int t = 0; t < nOut; t++) {
                                e[eo + t] -= xi * delta[dOff + t];
                            }
                        }
                    }
                }
            }
            history[sweep + 1] = sumSq(e) / Math.max(1e-30, tNorm);
        }
        responseErrorHistory = history;
    }

    private static double sumSq(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }

    /** Solves {@code A x = b} for a symmetric positive semi-definite A (small ridge added); null if singular. */
    static double[] solveSpd(double[] a, double[] b, int d) {
        double tr = 0;
        for (int i = 0; i < d; i++) {
            tr += a[i * d + i];
        }
        double ridge = 1e-6 * Math.max(tr / d, 1e-12);
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (s <= 0) {
                        return null;
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * d + k] * y[k];
            }
            y[i] = s / l[i * d + i];
        }
        double[] x = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < d; k++) {
                s -= l[k * d + i] * x[k];
            }
            x[i] = s / l[i * d + i];
        }
        return x;
    }

    /** Bits of storage: codebooks at 32 bits per value plus codes at log2(K) bits ({@code 32 C_s K + C_t d_k^2 M log2 K}). */
    public long storageBits() {
        return 32L * channels * codewords + (long) outputs * positions * subspaces * codeBits();
    }

    /** Bits of the dense float weights, {@code 32 S N}. */
    public long denseBits() {
        return 32L * fanIn * outputs;
    }

    /** Bits per code, ceil(log2 K). */
    public int codeBits() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(codewords - 1));
    }

    /** Scratch space the LUT kernels need. */
    public float[] newTable(int locations) {
        return new float[locations * subspaces * codewords];
    }

    /**
     * Look-up inference of an FC layer: per subspace a table of the K products {@code <d_k, x_m>}, then each
     * output sums M table entries. {@code x} is {@code [S]}, {@code out} is {@code [N]}; {@code table} from
     * {@link #newTable}(1).
     */
    public void lutForwardFc(float[] x, int xOff, float[] bias, float[] out, int outOff, float[] table) {
        int d = subDim;
        int k = codewords;
        for (int m = 0; m < subspaces; m++) {
            float[] cb = codebooks[m];
            int xo = xOff + m * d;
            int to = m * k;
            for (int c = 0; c < k; c++) {
                float acc = 0f;
                int co = c * d;
                for (int i = 0; i < d; i++) {
                    acc += cb[co + i] * x[xo + i];
                }
                table[to + c] = acc;
            }
        }
        int mm = subspaces;
        for (int t = 0; t < outputs; t++) {
            float acc = bias[t];
            int co = t * mm;
            for (int m = 0; m < mm; m++) {
                acc += table[m * k + codes[co + m]];
            }
            out[outOff + t] = acc;
        }
    }

    /**
     * Look-up inference of a 3x3, pad-1 conv layer: for every input location and subspace a K-entry table,
     * then each output pixel accumulates {@code 9 * M} look-ups. {@code in} is {@code [C_s][h][w]},
     * {@code out} is {@code [C_t][h][w]}; {@code table} from {@link #newTable}(h * w).
     */
    public void lutForwardConv(float[] in, int inOff, int h, int w, float[] bias, float[] out, int outOff,
                               float[] table) {
        int d = subDim;
        int k = codewords;
        int p = h * w;
        int mk = subspaces * k;
        for (int loc = 0; loc < p; loc++) {
            for (int m = 0; m < subspaces; m++) {
                float[] cb = codebooks[m];
                for (int c = 0; c < k; c++) {
                    float acc = 0f;
                    for (int i = 0; i < d; i++) {
                        acc += cb[c * d + i] * in[inOff + (m * d + i) * p + loc];
                    }
                    table[loc * mk + m * k + c] = acc;
                }
            }
        }
        for (int t = 0; t < outputs; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = bias[t];
                    for (int ky = 0; ky < 3; ky++) {
                        int sy = y + ky - 1;
                        if (sy < 0 || sy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int sx = x + kx - 1;
                            if (sx < 0 || sx >= w) {
                                continue;
                            }
                            int pos = ky * 3 + kx;
                            int tOff = (sy * w + sx) * mk;
                            int cOff = (t * positions + pos) * subspaces;
                            for (int m = 0; m < subspaces; m++) {
                                acc += table[tOff + m * k + codes[cOff + m]];
                            }
                        }
                    }
                    out[outOff + (t * h + y) * w + x] = acc;
                }
            }
        }
    }
}
