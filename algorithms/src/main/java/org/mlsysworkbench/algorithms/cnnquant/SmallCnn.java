package org.mlsysworkbench.algorithms.cnnquant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bench's small BatchNorm CNN ({@link CnnShape}) with its parameters as plain float arrays, a batched
 * forward pass and hand-derived gradients (checked against finite differences in the tests).
 *
 * <p>Layouts: every weight matrix is {@code [S][N]} row-major (fan-in major, output channel minor), where a
 * conv's fan-in index is {@code c * 9 + ky * 3 + kx}; activations are image-major, then channel, then row-major
 * pixels. Inputs are raw pixels in 0..1, normalised inside by {@code (p - inputMean) / inputStd}.
 *
 * <p>Quantized variants are copies with changed weights and optional per-layer input quantizers
 * ({@link #inputQuant}); a layer's input quantizer is applied to the values the layer reads. Not thread-safe
 * while being trained; read-only use (forward passes with separate {@link Pass}es) is thread-safe.
 */
public final class SmallCnn {

    /** BatchNorm epsilon. */
    public static final float BN_EPS = 1e-5f;
    /** Running-statistics momentum of BatchNorm. */
    public static final float BN_MOMENTUM = 0.1f;

    public final CnnShape shape;
    /** Weight matrices {@code [S][N]} of conv1, conv2, fc1, fc2. */
    public final float[][] weights = new float[CnnShape.LAYERS][];
    /** Biases {@code [N]} of the four layers (zero for the convs until BN is folded). */
    public final float[][] biases = new float[CnnShape.LAYERS][];
    /** BatchNorm after conv1 and conv2: gamma, beta, running mean and running (unbiased) variance per channel. */
    public final float[][] bnGamma = new float[2][];
    public final float[][] bnBeta = new float[2][];
    public final float[][] bnMean = new float[2][];
    public final float[][] bnVar = new float[2][];
    public float inputMean;
    public float inputStd = 1f;
    /** Per-layer input (activation) quantizers; null entries (or a null array) mean float inputs. */
    public UniformQuantizer[] inputQuant;

    public SmallCnn(CnnShape shape) {
        this.shape = shape;
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            weights[l] = new float[shape.weightCount(l)];
            biases[l] = new float[shape.outputs(l)];
        }
        for (int i = 0; i < 2; i++) {
            int c = shape.outputs(i);
            bnGamma[i] = filled(c, 1f);
            bnBeta[i] = new float[c];
            bnMean[i] = new float[c];
            bnVar[i] = filled(c, 1f);
        }
    }

    /** A freshly initialised network (He-normal weights, zero biases). */
    public static SmallCnn initialised(CnnShape shape, ImageSet train, SplittableRandom rnd) {
        SmallCnn m = new SmallCnn(shape);
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            double std = Math.sqrt(2.0 / shape.fanIn(l));
            for (int i = 0; i < m.weights[l].length; i++) {
                m.weights[l][i] = (float) (gaussian(rnd) * std);
            }
        }
        m.inputMean = (float) train.meanPixel();
        m.inputStd = (float) Math.max(1e-3, train.stdPixel());
        return m;
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** A deep copy (quantizers are immutable and shared). */
    public SmallCnn copy() {
        SmallCnn m = new SmallCnn(shape);
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            m.weights[l] = weights[l].clone();
            m.biases[l] = biases[l].clone();
        }
        for (int i = 0; i < 2; i++) {
            m.bnGamma[i] = bnGamma[i].clone();
            m.bnBeta[i] = bnBeta[i].clone();
            m.bnMean[i] = bnMean[i].clone();
            m.bnVar[i] = bnVar[i].clone();
        }
        m.inputMean = inputMean;
        m.inputStd = inputStd;
        m.inputQuant = inputQuant == null ? null : inputQuant.clone();
        return m;
    }

    /**
     * The same function with BatchNorm folded into conv1 and conv2 ({@code w' = w * g / sqrt(v + eps)},
     * {@code b' = (b - mu) * g / sqrt(v + eps) + beta}) and BN set to the identity; quantize this one.
     */
    public SmallCnn foldBatchNorm() {
        SmallCnn m = copy();
        for (int i = 0; i < 2; i++) {
            int n = shape.outputs(i);
            int s = shape.fanIn(i);
            for (int j = 0; j < n; j++) {
                float f = bnGamma[i][j] / (float) Math.sqrt(bnVar[i][j] + BN_EPS);
                for (int k = 0; k < s; k++) {
                    m.weights[i][k * n + j] = weights[i][k * n + j] * f;
                }
                m.biases[i][j] = (biases[i][j] - bnMean[i][j]) * f + bnBeta[i][j];
                m.bnGamma[i][j] = 1f;
                m.bnBeta[i][j] = 0f;
                m.bnMean[i][j] = 0f;
                m.bnVar[i][j] = 1f - BN_EPS;
            }
        }
        return m;
    }

    /** Total number of weights (all four matrices). */
    public long weightCount() {
        long n = 0;
        for (float[] w : weights) {
            n += w.length;
        }
        return n;
    }

    /** Class predictions for all images, in batches. */
    public int[] predict(ImageSet set) {
        int[] pred = new int[set.count()];
        Pass pass = new Pass(this);
        int bs = 256;
        for (int from = 0; from < set.count(); from += bs) {
            int to = Math.min(set.count(), from + bs);
            pass.forward(set, from, to, null, false);
            for (int b = 0; b < to - from; b++) {
                pred[from + b] = pass.argmax(b);
            }
        }
        return pred;
    }

    /** Fraction of correctly classified images, 0..1. */
    public double accuracy(ImageSet set) {
        int[] p = predict(set);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == set.labels()[i]) {
                ok++;
            }
        }
        return ok / (double) p.length;
    }

    /** Re-estimates the BatchNorm running statistics from {@code batches} batches of the training set. */
    public void recalibrateBatchNorm(ImageSet train, int batchSize, int batches) {
        for (int i = 0; i < 2; i++) {
            Arrays.fill(bnMean[i], 0f);
            Arrays.fill(bnVar[i], 0f);
        }
        Pass pass = new Pass(this);
        int used = 0;
        double[][] sumMean = {new double[shape.c1()], new double[shape.c2()]};
        double[][] sumVar = {new double[shape.c1()], new double[shape.c2()]};
        for (int bi = 0; bi < batches && (bi + 1) * batchSize <= train.count(); bi++) {
            pass.forward(train, bi * batchSize, (bi + 1) * batchSize, null, true);
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < sumMean[i].length; c++) {
                    sumMean[i][c] += pass.batchMean[i][c];
                    sumVar[i][c] += pass.batchVarUnbiased[i][c];
                }
            }
            used++;
        }
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < sumMean[i].length; c++) {
                bnMean[i][c] = (float) (sumMean[i][c] / Math.max(1, used));
                bnVar[i][c] = (float) (sumVar[i][c] / Math.max(1, used));
            }
        }
    }

    /**
     * One batched forward pass and its backward pass, with every intermediate kept. A pass object is
     * reused across batches; one per thread.
     */
    public static final class Pass {
        final SmallCnn m;
        final CnnShape s;
        int batch;
        boolean training;
        /** Inputs each layer read (after its input quantizer): [B][inputSize(l)]. */
        final float[][] in = new float[CnnShape.LAYERS][];
        /** Outputs of each layer before BN / ReLU: [B][outputSize(l)]. */
        final float[][] z = new float[CnnShape.LAYERS][];
        final float[][] xhat = new float[2][];
        /** After BN + ReLU, before pooling. */
        final float[][] act = new float[2][];
        final int[][] argmax = new int[2][];
        /** fc1 after ReLU (before fc2's input quantizer). */
        float[] hidden;
        /** Batch statistics of the pre-BN conv outputs of the last pass: mean, biased and unbiased variance. */
        final float[][] batchMean = new float[2][];
        final float[][] batchVar = new float[2][];
        final float[][] batchVarUnbiased = new float[2][];
        final float[][] invStd = new float[2][];
        private float[] cols = new float[0];
        private float[] dCols = new float[0];
        private float[] dOutT = new float[0];

        public Pass(SmallCnn m) {
            this.m = m;
            this.s = m.shape;
        }

        /** The batch size of the last forward pass. */
        public int batch() {
            return batch;
        }

        /** Logits of the last pass, [B][classes]. */
        public float[] logits() {
            return z[3];
        }

        /** What layer {@code l} read in the last pass, [B][inputSize(l)]. */
        public float[] layerInput(int l) {
            return in[l];
        }

        /** What layer {@code l} produced in the last pass (pre-BN for convs), [B][outputSize(l)]. */
        public float[] layerOutput(int l) {
            return z[l];
        }

        public int argmax(int b) {
            int c = s.classes();
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (z[3][b * c + j] > z[3][b * c + best]) {
                    best = j;
                }
            }
            return best;
        }

        private static float[] ensure(float[] a, int n) {
            return a != null && a.length == n ? a : new float[n];
        }

        /**
         * Forward pass over images {@code from..to-1} of {@code set}, or over already normalised inputs.
         *
         * @param normalised if not null, [B][H*W] network inputs (already normalised), used instead of {@code set}
         * @param training   BatchNorm uses batch statistics and updates the running ones
         */
        public void forward(ImageSet set, int from, int to, float[] normalised, boolean training) {
            this.training = training;
            int hw = s.height() * s.width();
            batch = normalised != null ? normalised.length / hw : to - from;
            int bsz = batch;
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                in[l] = ensure(in[l], bsz * s.inputSize(l));
                z[l] = ensure(z[l], bsz * s.outputSize(l));
            }
            if (normalised != null) {
                System.arraycopy(normalised, 0, in[0], 0, bsz * hw);
            } else {
                float mu = m.inputMean;
                float inv = 1f / m.inputStd;
                float[] px = set.pixels();
                for (int i = 0; i < bsz * hw; i++) {
                    in[0][i] = (px[from * hw + i] - mu) * inv;
                }
            }
            quantizeInput(0);
            for (int i = 0; i < 2; i++) {
                convForward(i);
                bnReluForward(i);
                int next = i + 1;
                poolForward(i, in[next]);
                quantizeInput(next);
            }
            fcForward(2);
            hidden = ensure(hidden, bsz * s.hidden());
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = Math.max(0f, z[2][i]);
            }
            System.arraycopy(hidden, 0, in[3], 0, hidden.length);
            quantizeInput(3);
            fcForward(3);
        }

        private void quantizeInput(int l) {
            if (m.inputQuant != null && m.inputQuant[l] != null) {
                m.inputQuant[l].applyInPlace(in[l], 0, batch * s.inputSize(l));
            }
        }

        private void im2col(float[] input, int off, int channels, int h, int w) {
            int p = h * w;
            int need = channels * 9 * p;
            if (cols.length < need) {
                cols = new float[need];
            }
            for (int c = 0; c < channels; c++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int row = (c * 9 + ky * 3 + kx) * p;
                        for (int y = 0; y < h; y++) {
                            int sy = y + ky - 1;
                            for (int x = 0; x < w; x++) {
                                int sx = x + kx - 1;
                                cols[row + y * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f
                                        : input[off + (c * h + sy) * w + sx];
                            }
                        }
                    }
                }
            }
        }

        private int convH(int l) {
            return l == 0 ? s.height() : s.height() / 2;
        }

        private int convW(int l) {
            return l == 0 ? s.width() : s.width() / 2;
        }

        private void convForward(int l) {
            int h = convH(l);
            int w = convW(l);
            int p = h * w;
            int kk = s.fanIn(l);
            int n = s.outputs(l);
            float[] wt = m.weights[l];
            float[] bias = m.biases[l];
            int inSz = s.inputSize(l);
            for (int b = 0; b < batch; b++) {
                im2col(in[l], b * inSz, s.inChannels(l), h, w);
                int outOff = b * n * p;
                for (int o = 0; o < n; o++) {
                    Arrays.fill(z[l], outOff + o * p, outOff + (o + 1) * p, bias[o]);
                }
                for (int k = 0; k < kk; k++) {
                    int colOff = k * p;
                    for (int o = 0; o < n; o++) {
                        float wv = wt[k * n + o];
                        if (wv == 0f) {
                            continue;
                        }
                        int zo = outOff + o * p;
                        for (int q = 0; q < p; q++) {
                            z[l][zo + q] += wv * cols[colOff + q];
                        }
                    }
                }
            }
        }

        private void bnReluForward(int i) {
            int n = s.outputs(i);
            int p = s.positions(i);
            xhat[i] = ensure(xhat[i], batch * n * p);
            act[i] = ensure(act[i], batch * n * p);
            batchMean[i] = ensure(batchMean[i], n);
            batchVar[i] = ensure(batchVar[i], n);
            batchVarUnbiased[i] = ensure(batchVarUnbiased[i], n);
            invStd[i] = ensure(invStd[i], n);
            float[] zz = z[i];
            int cnt = batch * p;
            for (int c = 0; c < n; c++) {
                double sum = 0;
                double sq = 0;
                for (int b = 0; b < batch; b++) {
                    int off = (b * n + c) * p;
                    for (int q = 0; q < p; q++) {
                        float v = zz[off + q];
                        sum += v;
                        sq += (double) v * v;
                    }
                }
                double mean = sum / cnt;
                double var = Math.max(0, sq / cnt - mean * mean);
                batchMean[i][c] = (float) mean;
                batchVar[i][c] = (float) var;
                batchVarUnbiased[i][c] = (float) (cnt > 1 ? var * cnt / (cnt - 1) : var);
                float mu;
                float inv;
                if (training) {
                    mu = (float) mean;
                    inv = (float) (1.0 / Math.sqrt(var + BN_EPS));
                    m.bnMean[i][c] = (1 - BN_MOMENTUM) * m.bnMean[i][c] + BN_MOMENTUM * mu;
                    m.bnVar[i][c] = (1 - BN_MOMENTUM) * m.bnVar[i][c] + BN_MOMENTUM * batchVarUnbiased[i][c];
                } else {
                    mu = m.bnMean[i][c];
                    inv = (float) (1.0 / Math.sqrt(m.bnVar[i][c] + BN_EPS));
                }
                invStd[i][c] = inv;
                float g = m.bnGamma[i][c];
                float be = m.bnBeta[i][c];
                for (int b = 0; b < batch; b++) {
                    int off = (b * n + c) * p;
                    for (int q = 0; q < p; q++) {
                        float xh = (zz[off + q] - mu) * inv;
                        xhat[i][off + q] = xh;
                        act[i][off + q] = Math.max(0f, g * xh + be);
                    }
                }
            }
        }

        private void poolForward(int i, float[] out) {
            int n = s.outputs(i);
            int h = convH(i);
            int w = convW(i);
            int oh = h / 2;
            int ow = w / 2;
            argmax[i] = argmax[i] != null && argmax[i].length == batch * n * oh * ow ? argmax[i]
                    : new int[batch * n * oh * ow];
            for (int bc = 0; bc < batch * n; bc++) {
                int inOff = bc * h * w;
                int outOff = bc * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int i0 = inOff + 2 * y * w + 2 * x;
                        int best = i0;
                        if (act[i][i0 + 1] > act[i][best]) {
                            best = i0 + 1;
                        }
                        if (act[i][i0 + w] > act[i][best]) {
                            best = i0 + w;
                        }
                        if (act[i][i0 + w + 1] > act[i][best]) {
                            best = i0 + w + 1;
                        }
                        out[outOff + y * ow + x] = act[i][best];
                        argmax[i][outOff + y * ow + x] = best;
                    }
                }
            }
        }

        private void fcForward(int l) {
            int sIn = s.fanIn(l);
            int n = s.outputs(l);
            float[] wt = m.weights[l];
            float[] x = in[l];
            float[] out = z[l];
            for (int b = 0; b < batch; b++) {
                int oo = b * n;
                System.arraycopy(m.biases[l], 0, out, oo, n);
                for (int k = 0; k < sIn; k++) {
                    float xv = x[b * sIn + k];
                    if (xv == 0f) {
                        continue;
                    }
                    int wo = k * n;
                    for (int j = 0; j < n; j++) {
                        out[oo + j] += xv * wt[wo + j];
                    }
                }
            }
        }

        /** Mean softmax cross-entropy of the last pass against {@code labels}; writes dLoss/dlogits. */
        public double crossEntropy(int[] labels, int labelOff, float[] dLogits) {
            int c = s.classes();
            double loss = 0;
            for (int b = 0; b < batch; b++) {
                int off = b * c;
                float mx = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    mx = Math.max(mx, z[3][off + j]);
                }
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(z[3][off + j] - mx);
                }
                int y = labels[labelOff + b];
                loss += -(z[3][off + y] - mx - Math.log(sum));
                if (dLogits != null) {
                    for (int j = 0; j < c; j++) {
                        double pj = Math.exp(z[3][off + j] - mx) / sum;
                        dLogits[off + j] = (float) ((pj - (j == y ? 1 : 0)) / batch);
                    }
                }
            }
            return loss / batch;
        }

        /**
         * Backward pass of the last forward pass (float inputs assumed: input quantizers are treated as the
         * identity, a straight-through estimate).
         *
         * @param dLogits  dLoss/dlogits, [B][classes]
         * @param dPreBn   optional extra gradients added at the pre-BN conv outputs, {@code dPreBn[i]} is
         *                 [B][outputSize(i)] or null (used by BN-statistics synthesis)
         * @param grads    receives the parameter gradients (accumulated); may be null
         * @param dInput   if not null, receives dLoss/d(normalised input), [B][H*W]
         */
        public void backward(float[] dLogits, float[][] dPreBn, Grads grads, float[] dInput) {
            float[] dHidden = new float[batch * s.hidden()];
            fcBackward(3, dLogits, grads, dHidden);
            for (int i = 0; i < dHidden.length; i++) {
                if (z[2][i] <= 0f) {
                    dHidden[i] = 0f;
                }
            }
            float[] dFlat = new float[batch * s.flat()];
            fcBackward(2, dHidden, grads, dFlat);
            float[] dNext = dFlat;
            for (int i = 1; i >= 0; i--) {
                float[] dAct = new float[batch * s.outputSize(i)];
                for (int q = 0; q < dNext.length; q++) {
                    dAct[argmax[i][q]] += dNext[q];
                }
                float[] dz = bnReluBackward(i, dAct, grads);
                if (dPreBn != null && dPreBn[i] != null) {
                    for (int q = 0; q < dz.length; q++) {
                        dz[q] += dPreBn[i][q];
                    }
                }
                boolean needInput = i == 1 || dInput != null;
                float[] dIn = needInput ? (i == 0 ? dInput : new float[batch * s.inputSize(i)]) : null;
                if (dIn != null && i == 0) {
                    Arrays.fill(dIn, 0f);
                }
                convBackward(i, dz, grads, dIn);
                dNext = dIn;
            }
        }

        private void fcBackward(int l, float[] dOut, Grads grads, float[] dIn) {
            int sIn = s.fanIn(l);
            int n = s.outputs(l);
            float[] wt = m.weights[l];
            float[] x = in[l];
            float[] wT = null;
            if (dIn != null) {
                wT = new float[sIn * n];
                for (int k = 0; k < sIn; k++) {
                    for (int j = 0; j < n; j++) {
                        wT[j * sIn + k] = wt[k * n + j];
                    }
                }
            }
            for (int b = 0; b < batch; b++) {
                int oo = b * n;
                if (grads != null) {
                    float[] gw = grads.weights[l];
                    for (int j = 0; j < n; j++) {
                        grads.biases[l][j] += dOut[oo + j];
                    }
                    for (int k = 0; k < sIn; k++) {
                        float xv = x[b * sIn + k];
                        if (xv == 0f) {
                            continue;
                        }
                        int wo = k * n;
                        for (int j = 0; j < n; j++) {
                            gw[wo + j] += xv * dOut[oo + j];
                        }
                    }
                }
                if (dIn != null) {
                    // dIn[b] = sum_j dOut[b][j] * W[:, j], as axpy over the transposed weights (vectorises)
                    int io = b * sIn;
                    java.util.Arrays.fill(dIn, io, io + sIn, 0f);
                    for (int j = 0; j < n; j++) {
                        float d = dOut[oo + j];
                        if (d == 0f) {
                            continue;
                        }
                        int to = j * sIn;
                        for (int k = 0; k < sIn; k++) {
                            dIn[io + k] += d * wT[to + k];
                        }
                    }
                }
            }
        }

        private float[] bnReluBackward(int i, float[] dAct, Grads grads) {
            int n = s.outputs(i);
            int p = s.positions(i);
            int cnt = batch * p;
            float[] dz = new float[dAct.length];
            for (int c = 0; c < n; c++) {
                float g = m.bnGamma[i][c];
                float be = m.bnBeta[i][c];
                double sumDy = 0;
                double sumDyXh = 0;
                for (int b = 0; b < batch; b++) {
                    int off = (b * n + c) * p;
                    for (int q = 0; q < p; q++) {
                        float xh = xhat[i][off + q];
                        float dy = g * xh + be > 0f ? dAct[off + q] : 0f;
                        dz[off + q] = dy;
                        sumDy += dy;
                        sumDyXh += dy * xh;
                    }
                }
                if (grads != null) {
                    grads.bnGamma[i][c] += (float) sumDyXh;
                    grads.bnBeta[i][c] += (float) sumDy;
                }
                float inv = invStd[i][c];
                if (training) {
                    // batch statistics depend on every input: the full BatchNorm gradient
                    float meanDxh = (float) (g * sumDy / cnt);
                    float meanDxhXh = (float) (g * sumDyXh / cnt);
                    for (int b = 0; b < batch; b++) {
                        int off = (b * n + c) * p;
                        for (int q = 0; q < p; q++) {
                            float dxh = dz[off + q] * g;
                            dz[off + q] = inv * (dxh - meanDxh - xhat[i][off + q] * meanDxhXh);
                        }
                    }
                } else {
                    float f = g * inv;
                    for (int b = 0; b < batch; b++) {
                        int off = (b * n + c) * p;
                        for (int q = 0; q < p; q++) {
                            dz[off + q] *= f;
                        }
                    }
                }
            }
            return dz;
        }

        private void convBackward(int l, float[] dz, Grads grads, float[] dIn) {
            int h = convH(l);
            int w = convW(l);
            int p = h * w;
            int kk = s.fanIn(l);
            int n = s.outputs(l);
            int ch = s.inChannels(l);
            int inSz = s.inputSize(l);
            float[] wt = m.weights[l];
            if (dOutT.length < p * n) {
                dOutT = new float[p * n];
            }
            if (dCols.length < kk * p) {
                dCols = new float[kk * p];
            }
            for (int b = 0; b < batch; b++) {
                int outOff = b * n * p;
                if (grads != null) {
                    im2col(in[l], b * inSz, ch, h, w);
                    for (int o = 0; o < n; o++) {
                        float sb = 0f;
                        for (int q = 0; q < p; q++) {
                            float d = dz[outOff + o * p + q];
                            dOutT[q * n + o] = d;
                            sb += d;
                        }
                        grads.biases[l][o] += sb;
                    }
                    float[] gw = grads.weights[l];
                    for (int k = 0; k < kk; k++) {
                        int co = k * p;
                        int go = k * n;
                        for (int q = 0; q < p; q++) {
                            float cv = cols[co + q];
                            if (cv == 0f) {
                                continue;
                            }
                            int to = q * n;
                            for (int o = 0; o < n; o++) {
                                gw[go + o] += cv * dOutT[to + o];
                            }
                        }
                    }
                }
                if (dIn != null) {
                    Arrays.fill(dCols, 0, kk * p, 0f);
                    for (int k = 0; k < kk; k++) {
                        int co = k * p;
                        for (int o = 0; o < n; o++) {
                            float wv = wt[k * n + o];
                            int zo = outOff + o * p;
                            for (int q = 0; q < p; q++) {
                                dCols[co + q] += wv * dz[zo + q];
                            }
                        }
                    }
                    int inOff = b * inSz;
                    for (int c = 0; c < ch; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int row = (c * 9 + ky * 3 + kx) * p;
                                for (int y = 0; y < h; y++) {
                                    int sy = y + ky - 1;
                                    if (sy < 0 || sy >= h) {
                                        continue;
                                    }
                                    for (int x = 0; x < w; x++) {
                                        int sx = x + kx - 1;
                                        if (sx >= 0 && sx < w) {
                                            dIn[inOff + (c * h + sy) * w + sx] += dCols[row + y * w + x];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The samples a layer multiplies by its weights in the last pass of {@code pass}: for a conv layer every
     * output location of every image is a row of its 3x3 input patch ({@code [B * positions][S]}, fan-in index
     * {@code c * 9 + ky * 3 + kx}); for an FC layer its input vectors ({@code [B][S]}).
     */
    public static float[] layerSamples(Pass pass, int layer) {
        CnnShape s = pass.s;
        int b = pass.batch;
        float[] in = pass.in[layer];
        if (!s.isConv(layer)) {
            return java.util.Arrays.copyOf(in, b * s.fanIn(layer));
        }
        int h = layer == 0 ? s.height() : s.height() / 2;
        int w = layer == 0 ? s.width() : s.width() / 2;
        int p = h * w;
        int ch = s.inChannels(layer);
        int fan = s.fanIn(layer);
        float[] out = new float[b * p * fan];
        for (int i = 0; i < b; i++) {
            int inOff = i * s.inputSize(layer);
            for (int c = 0; c < ch; c++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int k = c * 9 + ky * 3 + kx;
                        for (int y = 0; y < h; y++) {
                            int sy = y + ky - 1;
                            for (int x = 0; x < w; x++) {
                                int sx = x + kx - 1;
                                float v = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : in[inOff + (c * h + sy) * w + sx];
                                out[((i * p) + y * w + x) * fan + k] = v;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * A layer's responses in the last pass as samples {@code [B * positions][N]} (matching
     * {@link #layerSamples}), minus the layer's bias when {@code withoutBias}.
     */
    public static float[] layerResponses(Pass pass, int layer, boolean withoutBias) {
        CnnShape s = pass.s;
        int b = pass.batch;
        int n = s.outputs(layer);
        int p = s.positions(layer);
        float[] z = pass.z[layer];
        float[] bias = pass.m.biases[layer];
        float[] out = new float[b * p * n];
        for (int i = 0; i < b; i++) {
            for (int o = 0; o < n; o++) {
                float sub = withoutBias ? bias[o] : 0f;
                for (int q = 0; q < p; q++) {
                    out[(i * p + q) * n + o] = z[(i * n + o) * p + q] - sub;
                }
            }
        }
        return out;
    }

    /** Parameter gradients with the model's layout. */
    public static final class Grads {
        public final float[][] weights = new float[CnnShape.LAYERS][];
        public final float[][] biases = new float[CnnShape.LAYERS][];
        public final float[][] bnGamma = new float[2][];
        public final float[][] bnBeta = new float[2][];

        public Grads(CnnShape s) {
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                weights[l] = new float[s.weightCount(l)];
                biases[l] = new float[s.outputs(l)];
            }
            for (int i = 0; i < 2; i++) {
                bnGamma[i] = new float[s.outputs(i)];
                bnBeta[i] = new float[s.outputs(i)];
            }
        }

        public void zero() {
            for (float[][] g : new float[][][] {weights, biases, bnGamma, bnBeta}) {
                for (float[] a : g) {
                    Arrays.fill(a, 0f);
                }
            }
        }
    }
}
