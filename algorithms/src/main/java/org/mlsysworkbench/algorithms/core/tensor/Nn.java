package org.mlsysworkbench.algorithms.core.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.kernels.CpuConv2d;
import org.mlsysworkbench.algorithms.core.kernels.KernelThreads;

/**
 * Differentiable neural-network ops: losses, dropout, embedding/gather and scatter-add, conv2d
 * (im2col + GEMM), pooling, batch/layer/RMS normalisation, straight-through estimators, the
 * surrogate-gradient Heaviside step, trilinear grid sampling, and transformer blocks (SiLU, RoPE, causal
 * multi-head attention). Layouts: images {@code [N, C, H, W]}, conv weights {@code [O, C, KH, KW]}, sequences
 * {@code [B, T, heads * D]}, row-major.
 */
public final class Nn {

    /** Images per partial weight gradient in conv2d's backward pass (fixed, for thread-count independence). */
    private static final int IMAGES_PER_GROUP = 4;

    private static final ThreadLocal<Boolean> SMOOTH = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Nn() {
    }

    /**
     * Gradient-check mode for the non-smooth ops ({@link #heaviside}, {@link #roundSte}, {@link #signSte}):
     * while on, their forward pass computes the smooth function whose derivative their backward pass
     * uses (sigmoid, identity, clamp to [-1, 1]), so finite differences can check the gradient wiring of a
     * whole spiking or quantised model. Off (the default) in training. Thread-local.
     */
    public static void smoothSurrogates(boolean on) {
        SMOOTH.set(on);
    }

    static boolean smooth() {
        return SMOOTH.get();
    }

    /** Whether gradient-check mode is on for this thread (for straight-through ops defined outside this package). */
    public static boolean smoothSurrogatesOn() {
        return SMOOTH.get();
    }

    /** Fully connected layer {@code x [..., in] * w [in, out] + b [out]} ({@code b} may be null). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        Tensor y = Ops.matmul(x, w);
        return b == null ? y : Ops.add(y, b);
    }

    // ---- losses --------------------------------------------------------------------------------------

    /** Mean cross-entropy of {@code logits [N, C]} against {@code labels[N]} over all rows. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        int[] rows = new int[logits.dim(0)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return crossEntropy(logits, labels, rows);
    }

    /**
     * Masked cross-entropy: {@code -(1/|rows|) sum_{r in rows} log softmax(logits[r])[labels[r]]}, for
     * {@code logits [N, C]}, {@code labels[N]} (read only at {@code rows}), {@code rows} the selected rows
     * (for example the training nodes of a graph). Fused with the log-softmax.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, int[] rows) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("crossEntropy needs logits [N, C], got " + Shape.str(logits.shape()));
        }
        int c = logits.dim(1);
        Tensor y = Tensor.empty(logits.dtype());
        double[] lse = new double[rows.length];
        double loss = 0;
        for (int t = 0; t < rows.length; t++) {
            int base = rows[t] * c;
            int label = labels[rows[t]];
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException("label " + label + " of row " + rows[t] + " not in [0, " + c + ")");
            }
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                mx = Math.max(mx, logits.get(base + j));
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(logits.get(base + j) - mx);
            }
            lse[t] = mx + Math.log(s);
            loss += lse[t] - logits.get(base + label);
        }
        double inv = rows.length == 0 ? 0 : 1.0 / rows.length;
        y.set(0, loss * inv);
        return Tape.op(y, () -> {
            if (!logits.requiresGrad) {
                return;
            }
            double g = y.grad.get(0) * inv;
            Tensor gx = logits.gradBuffer();
            for (int t = 0; t < rows.length; t++) {
                int base = rows[t] * c;
                for (int j = 0; j < c; j++) {
                    gx.addAt(base + j, g * Math.exp(logits.get(base + j) - lse[t]));
                }
                gx.addAt(base + labels[rows[t]], -g);
            }
        }, logits);
    }

    /** Mean squared error {@code mean((a - b)^2)} over all elements (same shapes); gradients to both. */
    public static Tensor mse(Tensor a, Tensor b) {
        Ops.sameType(a, b);
        Shape.requireSame(a.shape(), b.shape(), "mse");
        int n = a.size();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = a.get(i) - b.get(i);
            s += d * d;
        }
        Tensor y = Tensor.empty(a.dtype());
        y.set(0, s / n);
        return Tape.op(y, () -> {
            double g = y.grad.get(0) * 2.0 / n;
            Tensor ga = a.requiresGrad ? a.gradBuffer() : null;
            Tensor gb = b.requiresGrad ? b.gradBuffer() : null;
            for (int i = 0; i < n; i++) {
                double d = g * (a.get(i) - b.get(i));
                if (ga != null) {
                    ga.addAt(i, d);
                }
                if (gb != null) {
                    gb.addAt(i, -d);
                }
            }
        }, a, b);
    }

    // ---- dropout -------------------------------------------------------------------------------------

    /**
     * Inverted dropout: in training each element is zeroed with probability {@code p} and the rest scaled by
     * {@code 1/(1-p)}; in evaluation (or {@code p == 0}) returns {@code x} itself.
     */
    public static Tensor dropout(Tensor x, double p, SplittableRandom rnd, boolean training) {
        if (!training || p == 0) {
            return x;
        }
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        int n = x.size();
        Tensor mask = Tensor.empty(x.dtype(), x.shape());
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        double scale = 1 / (1 - p);
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() >= p) {
                mask.set(i, scale);
                y.set(i, x.get(i) * scale);
            }
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < n; i++) {
                    gx.addAt(i, g.get(i) * mask.get(i));
                }
            }
        }, x);
    }

    // ---- gather / scatter ----------------------------------------------------------------------------

    /** Embedding lookup: rows {@code ids} of {@code weight [V, D]} as {@code [ids.length, D]}; same as gather. */
    public static Tensor embedding(Tensor weight, int[] ids) {
        return gather(weight, ids);
    }

    /**
     * Rows {@code index} (along axis 0) of {@code x [R, ...]}: output {@code [index.length, ...]}. The
     * backward pass scatter-adds into the gradient of {@code x} (repeated indices accumulate).
     */
    public static Tensor gather(Tensor x, int[] index) {
        int[] xs = x.shape();
        int rows = xs[0];
        int inner = x.size() / Math.max(1, rows);
        int[] os = xs.clone();
        os[0] = index.length;
        Tensor y = Tensor.empty(x.dtype(), os);
        for (int r = 0; r < index.length; r++) {
            int src = index[r];
            if (src < 0 || src >= rows) {
                throw new IndexOutOfBoundsException("gather index " + src + " at " + r + " not in [0, " + rows + ")");
            }
            for (int j = 0; j < inner; j++) {
                y.set(r * inner + j, x.get(src * inner + j));
            }
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int r = 0; r < index.length; r++) {
                    int dst = index[r] * inner;
                    for (int j = 0; j < inner; j++) {
                        gx.addAt(dst + j, g.get(r * inner + j));
                    }
                }
            }
        }, x);
    }

    /**
     * {@code out[index[i]] += src[i]} along axis 0: {@code src [n, ...]} into a zero {@code [outRows, ...]}
     * (message aggregation). The backward pass gathers.
     */
    public static Tensor scatterAdd(Tensor src, int[] index, int outRows) {
        int[] ss = src.shape();
        if (ss[0] != index.length) {
            throw new IllegalArgumentException("scatterAdd: " + index.length + " indices for " + ss[0] + " rows");
        }
        int inner = src.size() / Math.max(1, ss[0]);
        int[] os = ss.clone();
        os[0] = outRows;
        Tensor y = Tensor.empty(src.dtype(), os);
        for (int r = 0; r < index.length; r++) {
            int dst = index[r];
            if (dst < 0 || dst >= outRows) {
                throw new IndexOutOfBoundsException("scatterAdd index " + dst + " at " + r + " not in [0, "
                        + outRows + ")");
            }
            for (int j = 0; j < inner; j++) {
                y.addAt(dst * inner + j, src.get(r * inner + j));
            }
        }
        return Tape.op(y, () -> {
            if (src.requiresGrad) {
                Tensor g = y.grad;
                Tensor gs = src.gradBuffer();
                for (int r = 0; r < index.length; r++) {
                    int from = index[r] * inner;
                    for (int j = 0; j < inner; j++) {
                        gs.addAt(r * inner + j, g.get(from + j));
                    }
                }
            }
        }, src);
    }

    // ---- conv and pooling ----------------------------------------------------------------------------

    /**
     * 2-D convolution (cross-correlation) of {@code x [N, C, H, W]} with {@code w [O, C, KH, KW]} plus an
     * optional {@code bias [O]}, zero padding {@code pad}, step {@code stride}: output {@code [N, O, OH, OW]}
     * with {@code OH = (H + 2 pad - KH) / stride + 1}. Per image: im2col to {@code [C*KH*KW, OH*OW]} and one
     * GEMM; images run in parallel. Gradients to x, w and bias.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int pad) {
        Ops.sameType(x, w);
        int[] xs = x.shape();
        int[] ws = w.shape();
        if (xs.length != 4 || ws.length != 4 || ws[1] != xs[1]) {
            throw new IllegalArgumentException("conv2d: x " + Shape.str(xs) + " and w " + Shape.str(ws)
                    + " (expected [N, C, H, W] and [O, C, KH, KW])");
        }
        int n = xs[0];
        int c = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int o = ws[0];
        int kh = ws[2];
        int kw = ws[3];
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (wd + 2 * pad - kw) / stride + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv2d: kernel larger than padded input " + Shape.str(xs));
        }
        int k = c * kh * kw;
        int p = oh * ow;
        Tensor cols = Tensor.empty(x.dtype(), n, k, p);
        Tensor y = Tensor.empty(x.dtype(), n, o, oh, ow);
        KernelThreads.parallelFor(n, (long) n * o * k * p, (from, to) -> {
            for (int img = from; img < to; img++) {
                im2col(x, img * c * h * wd, c, h, wd, kh, kw, stride, pad, oh, ow, cols, img * k * p);
                Ops.gemm(o, p, k, w, 0, k, false, cols, img * k * p, p, false, y, img * o * p, p, false);
                if (bias != null) {
                    for (int oc = 0; oc < o; oc++) {
                        double b = bias.get(oc);
                        int base = img * o * p + oc * p;
                        for (int q = 0; q < p; q++) {
                            y.addAt(base + q, b);
                        }
                    }
                }
            }
        });
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            if (w.requiresGrad) {
                // fixed groups of images, each summed into its own slice, then the slices in order: the result
                // does not depend on the thread count
                int groups = (n + IMAGES_PER_GROUP - 1) / IMAGES_PER_GROUP;
                Tensor partial = Tensor.empty(x.dtype(), groups, o * k);
                KernelThreads.parallelFor(groups, (long) n * o * k * p, (from, to) -> {
                    for (int gr = from; gr < to; gr++) {
                        int last = Math.min(n, (gr + 1) * IMAGES_PER_GROUP);
                        for (int img = gr * IMAGES_PER_GROUP; img < last; img++) {
                            Ops.gemm(o, k, p, g, img * o * p, p, false, cols, img * k * p, p, true, partial,
                                    gr * o * k, k, true);
                        }
                    }
                });
                Tensor gw = w.gradBuffer();
                for (int gr = 0; gr < groups; gr++) {
                    for (int i = 0; i < o * k; i++) {
                        gw.addAt(i, partial.get(gr * o * k + i));
                    }
                }
            }
            if (bias != null && bias.requiresGrad) {
                Tensor gb = bias.gradBuffer();
                for (int img = 0; img < n; img++) {
                    for (int oc = 0; oc < o; oc++) {
                        double s = 0;
                        int base = img * o * p + oc * p;
                        for (int q = 0; q < p; q++) {
                            s += g.get(base + q);
                        }
                        gb.addAt(oc, s);
                    }
                }
            }
            if (x.requiresGrad) {
                Tensor gx = x.gradBuffer();
                Tensor dcols = Tensor.empty(x.dtype(), n, k, p);
                KernelThreads.parallelFor(n, (long) n * o * k * p, (from, to) -> {
                    for (int img = from; img < to; img++) {
                        Ops.gemm(k, p, o, w, 0, k, true, g, img * o * p, p, false, dcols, img * k * p, p, false);
                        col2im(dcols, img * k * p, c, h, wd, kh, kw, stride, pad, oh, ow, gx, img * c * h * wd);
                    }
                });
            }
        }, x, w, bias);
    }

    private static void im2col(Tensor x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                               int oh, int ow, Tensor cols, int colOff) {
        if (x.f != null) {
            CpuConv2d.im2col(x.f, xOff, c, h, w, kh, kw, stride, pad, cols.f, colOff);
            return;
        }
        int row = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    int dst = colOff + row * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * stride - pad + i;
                        for (int xx = 0; xx < ow; xx++) {
                            int ix = xx * stride - pad + j;
                            boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                            double v = inside ? x.get(xOff + (ch * h + iy) * w + ix) : 0;
                            cols.set(dst + y * ow + xx, v);
                        }
                    }
                }
            }
        }
    }

    private static void col2im(Tensor cols, int colOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                               int oh, int ow, Tensor gx, int xOff) {
        int row = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    int src = colOff + row * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * stride - pad + i;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int xx = 0; xx < ow; xx++) {
                            int ix = xx * stride - pad + j;
                            if (ix >= 0 && ix < w) {
                                gx.addAt(xOff + (ch * h + iy) * w + ix, cols.get(src + y * ow + xx));
                            }
                        }
                    }
                }
            }
        }
    }

    /** Max pooling over {@code k x k} windows with step {@code stride}, no padding; gradient to the argmax. */
    public static Tensor maxPool2d(Tensor x, int k, int stride) {
        return pool(x, k, stride, true);
    }

    /** Average pooling over {@code k x k} windows with step {@code stride}, no padding. */
    public static Tensor avgPool2d(Tensor x, int k, int stride) {
        return pool(x, k, stride, false);
    }

    private static Tensor pool(Tensor x, int k, int stride, boolean max) {
        int[] xs = x.shape();
        if (xs.length != 4) {
            throw new IllegalArgumentException("pool2d needs [N, C, H, W], got " + Shape.str(xs));
        }
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = (h - k) / stride + 1;
        int ow = (w - k) / stride + 1;
        Tensor y = Tensor.empty(x.dtype(), xs[0], xs[1], oh, ow);
        int[] arg = max ? new int[y.size()] : null;
        double inv = 1.0 / (k * k);
        for (int pl = 0; pl < planes; pl++) {
            int xb = pl * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = (pl * oh + i) * ow + j;
                    double best = Double.NEGATIVE_INFINITY;
                    int bi = -1;
                    double s = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int src = xb + (i * stride + a) * w + j * stride + b;
                            double v = x.get(src);
                            s += v;
                            if (v > best) {
                                best = v;
                                bi = src;
                            }
                        }
                    }
                    if (max) {
                        arg[out] = bi;
                        y.set(out, best);
                    } else {
                        y.set(out, s * inv);
                    }
                }
            }
        }
        return Tape.op(y, () -> {
            if (!x.requiresGrad) {
                return;
            }
            Tensor g = y.grad;
            Tensor gx = x.gradBuffer();
            if (max) {
                for (int i = 0; i < arg.length; i++) {
                    gx.addAt(arg[i], g.get(i));
                }
                return;
            }
            for (int pl = 0; pl < planes; pl++) {
                int xb = pl * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double gv = g.get((pl * oh + i) * ow + j) * inv;
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                gx.addAt(xb + (i * stride + a) * w + j * stride + b, gv);
                            }
                        }
                    }
                }
            }
        }, x);
    }

    // ---- normalisation -------------------------------------------------------------------------------

    /**
     * The result of {@link #batchNorm}: the normalised output and the batch statistics as differentiable
     * tensors (shape {@code [C]}; both null in evaluation mode), so a loss can use them, for example to
     * match a pretrained network's running statistics when synthesising calibration images.
     */
    public record BatchNormResult(Tensor output, Tensor mean, Tensor variance) {
    }

    /**
     * Running statistics of a batch-norm layer ({@code [C]} each, no gradient), updated in training as
     * {@code running = (1 - momentum) running + momentum * batch} (variance unbiased, N/(N-1), as PyTorch).
     */
    public static final class BatchNormState {
        public final Tensor runningMean;
        public final Tensor runningVar;
        public final double momentum;
        public final double eps;

        public BatchNormState(DType dtype, int channels, double momentum, double eps) {
            this.runningMean = Tensor.zeros(dtype, channels);
            this.runningVar = Tensor.full(dtype, 1.0, channels);
            this.momentum = momentum;
            this.eps = eps;
        }
    }

    /**
     * Batch normalisation of {@code x [N, C]} or {@code [N, C, H, W]} per channel:
     * {@code y = gamma * (x - mean) / sqrt(var + eps) + beta}. Training uses the batch's mean and biased
     * variance (over N, H, W; returned as {@code [C]} tensors in the graph, see {@link #normalizeAffine}) and
     * updates {@code state}; evaluation uses the running statistics.
     */
    public static BatchNormResult batchNorm(Tensor x, Tensor gamma, Tensor beta, BatchNormState state,
                                            boolean training) {
        int r = x.rank();
        int c = x.dim(1);
        int[] axes = r == 4 ? new int[] {0, 2, 3} : new int[] {0};
        if (!training) {
            return new BatchNormResult(normalizeAffine(x, state.runningMean.detach(), state.runningVar.detach(),
                    gamma, beta, state.eps), null, null);
        }
        Tensor mean = Ops.mean(x, false, axes);
        Tensor var = Ops.variance(x, false, axes);
        Tensor y = normalizeAffine(x, mean, var, gamma, beta, state.eps);
        int count = x.size() / c;
        double unbias = count > 1 ? (double) count / (count - 1) : 1.0;
        for (int ch = 0; ch < c; ch++) {
            state.runningMean.set(ch, (1 - state.momentum) * state.runningMean.get(ch)
                    + state.momentum * mean.get(ch));
            state.runningVar.set(ch, (1 - state.momentum) * state.runningVar.get(ch)
                    + state.momentum * var.get(ch) * unbias);
        }
        return new BatchNormResult(y, mean, var);
    }

    /**
     * {@code y = gamma * (x - mean) / sqrt(var + eps) + beta} per channel (axis 1 of {@code [N, C]} or
     * {@code [N, C, H, W]}), with {@code mean}, {@code var}, {@code gamma}, {@code beta} of shape {@code [C]}
     * as independent inputs: one fused pass forward and backward. Batch norm feeds it the batch
     * statistics, whose own ops carry the gradient on to {@code x}.
     */
    public static Tensor normalizeAffine(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, double eps) {
        int[] xs = x.shape();
        if ((xs.length != 2 && xs.length != 4) || mean.size() != xs[1] || var.size() != xs[1]
                || gamma.size() != xs[1] || beta.size() != xs[1]) {
            throw new IllegalArgumentException("normalizeAffine: x " + Shape.str(xs) + " with per-channel tensors of "
                    + mean.size() + ", " + var.size() + ", " + gamma.size() + ", " + beta.size() + " (expected C)");
        }
        int n = xs[0];
        int c = xs[1];
        int hw = xs.length == 4 ? xs[2] * xs[3] : 1;
        double[] rstd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            rstd[ch] = 1 / Math.sqrt(var.get(ch) + eps);
        }
        Tensor y = Tensor.empty(x.dtype(), xs);
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < c; ch++) {
                double m = mean.get(ch);
                double scale = gamma.get(ch) * rstd[ch];
                double shift = beta.get(ch) - m * scale;
                int base = (img * c + ch) * hw;
                if (x.f != null) {
                    float sc = (float) scale;
                    float sh = (float) shift;
                    float[] xf = x.f;
                    float[] yf = y.f;
                    for (int q = 0; q < hw; q++) {
                        yf[base + q] = xf[base + q] * sc + sh;
                    }
                } else {
                    for (int q = 0; q < hw; q++) {
                        y.set(base + q, x.get(base + q) * scale + shift);
                    }
                }
            }
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            Tensor gx = x.requiresGrad ? x.gradBuffer() : null;
            double[] sumG = new double[c];
            double[] sumGx = new double[c];
            for (int img = 0; img < n; img++) {
                for (int ch = 0; ch < c; ch++) {
                    double m = mean.get(ch);
                    double scale = gamma.get(ch) * rstd[ch];
                    int base = (img * c + ch) * hw;
                    double sg = 0;
                    double sgx = 0;
                    for (int q = 0; q < hw; q++) {
                        double gi = g.get(base + q);
                        sg += gi;
                        sgx += gi * (x.get(base + q) - m);
                        if (gx != null) {
                            gx.addAt(base + q, gi * scale);
                        }
                    }
                    sumG[ch] += sg;
                    sumGx[ch] += sgx;
                }
            }
            for (int ch = 0; ch < c; ch++) {
                double gam = gamma.get(ch);
                double r = rstd[ch];
                if (mean.requiresGrad) {
                    mean.gradBuffer().addAt(ch, -gam * r * sumG[ch]);
                }
                if (var.requiresGrad) {
                    var.gradBuffer().addAt(ch, -0.5 * gam * r * r * r * sumGx[ch]);
                }
                if (gamma.requiresGrad) {
                    gamma.gradBuffer().addAt(ch, r * sumGx[ch]);
                }
                if (beta.requiresGrad) {
                    beta.gradBuffer().addAt(ch, sumG[ch]);
                }
            }
        }, x, mean, var, gamma, beta);
    }

    /** Layer normalisation over the last axis: {@code gamma * (x - mean) / sqrt(var + eps) + beta}. */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Tensor mean = Ops.mean(x, true, -1);
        Tensor var = Ops.variance(x, true, -1);
        Tensor xhat = Ops.div(Ops.sub(x, mean), Ops.sqrt(Ops.addScalar(var, eps)));
        return Ops.add(Ops.mul(xhat, gamma), beta);
    }

    /** RMS normalisation over the last axis: {@code gamma * x / sqrt(mean(x^2) + eps)}. */
    public static Tensor rmsNorm(Tensor x, Tensor gamma, double eps) {
        Tensor ms = Ops.mean(Ops.square(x), true, -1);
        return Ops.mul(Ops.div(x, Ops.sqrt(Ops.addScalar(ms, eps))), gamma);
    }

    // ---- straight-through and surrogate gradients ----------------------------------------------------

    /** Rounds half up ({@code floor(x + 0.5)}); the backward pass is the identity (straight-through). */
    public static Tensor roundSte(Tensor x) {
        boolean smooth = smooth();
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            y.set(i, smooth ? v : Math.floor(v + 0.5));
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < g.size(); i++) {
                    gx.addAt(i, g.get(i));
                }
            }
        }, x);
    }

    /** {@code +1} for {@code x >= 0}, else {@code -1}; backward passes the gradient where {@code |x| <= 1}. */
    public static Tensor signSte(Tensor x) {
        boolean smooth = smooth();
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            y.set(i, smooth ? Math.max(-1, Math.min(1, v)) : (v >= 0 ? 1 : -1));
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < g.size(); i++) {
                    if (Math.abs(x.get(i)) <= 1) {
                        gx.addAt(i, g.get(i));
                    }
                }
            }
        }, x);
    }

    /**
     * The spike function of LIF neurons: forward {@code H(x) = 1 if x >= 0 else 0}; backward the sigmoid
     * surrogate {@code dH/dx ~ alpha * s * (1 - s)} with {@code s = sigmoid(alpha x)}.
     */
    public static Tensor heaviside(Tensor x, double alpha) {
        boolean smooth = smooth();
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            y.set(i, smooth ? sigmoid(alpha * v) : (v >= 0 ? 1 : 0));
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < g.size(); i++) {
                    double s = sigmoid(alpha * x.get(i));
                    gx.addAt(i, g.get(i) * alpha * s * (1 - s));
                }
            }
        }, x);
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    // ---- trilinear grid sampling ---------------------------------------------------------------------

    /**
     * Trilinear interpolation of a voxel grid {@code volume [C, D, H, W]} at {@code points [P, 3]} given as
     * (x, y, z) in [-1, 1] (x along W, y along H, z along D; -1 and 1 are the centres of the corner voxels,
     * "align corners"); points outside are clamped to the border. Output {@code [P, C]}. Gradients to the
     * volume and to the points (zero along a clamped coordinate).
     */
    public static Tensor gridSample3d(Tensor volume, Tensor points) {
        Ops.sameType(volume, points);
        int[] vs = volume.shape();
        if (vs.length != 4 || points.rank() != 2 || points.dim(1) != 3) {
            throw new IllegalArgumentException("gridSample3d: volume " + Shape.str(vs) + " (expected [C, D, H, W]),"
                    + " points " + Shape.str(points.shape()) + " (expected [P, 3])");
        }
        int c = vs[0];
        int[] size = {vs[3], vs[2], vs[1]};
        int np = points.dim(0);
        int plane = vs[1] * vs[2] * vs[3];
        Tensor y = Tensor.empty(volume.dtype(), np, c);
        for (int p = 0; p < np; p++) {
            Corner k = corner(points, p, size);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int q = 0; q < 8; q++) {
                    s += k.weight(q) * volume.get(ch * plane + k.offset(q, vs));
                }
                y.set(p * c + ch, s);
            }
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            Tensor gv = volume.requiresGrad ? volume.gradBuffer() : null;
            Tensor gp = points.requiresGrad ? points.gradBuffer() : null;
            for (int p = 0; p < np; p++) {
                Corner k = corner(points, p, size);
                for (int ch = 0; ch < c; ch++) {
                    double gi = g.get(p * c + ch);
                    for (int q = 0; q < 8; q++) {
                        int off = ch * plane + k.offset(q, vs);
                        if (gv != null) {
                            gv.addAt(off, gi * k.weight(q));
                        }
                        if (gp != null) {
                            double v = volume.get(off) * gi;
                            for (int a = 0; a < 3; a++) {
                                gp.addAt(p * 3 + a, v * k.dweight(q, a));
                            }
                        }
                    }
                }
            }
        }, volume, points);
    }

    /** The 8 corner voxels of a sample point and their trilinear weights (axis 0 = x/W, 1 = y/H, 2 = z/D). */
    private static final class Corner {
        final int[] lo = new int[3];
        final double[] frac = new double[3];
        /** d(voxel coordinate)/d(normalised coordinate), 0 when clamped. */
        final double[] scale = new double[3];

        double weight(int q) {
            double w = 1;
            for (int a = 0; a < 3; a++) {
                w *= ((q >> a) & 1) == 1 ? frac[a] : 1 - frac[a];
            }
            return w;
        }

        double dweight(int q, int axis) {
            double w = scale[axis] * (((q >> axis) & 1) == 1 ? 1 : -1);
            for (int a = 0; a < 3; a++) {
                if (a != axis) {
                    w *= ((q >> a) & 1) == 1 ? frac[a] : 1 - frac[a];
                }
            }
            return w;
        }

        int offset(int q, int[] vs) {
            int x = Math.min(lo[0] + (q & 1), vs[3] - 1);
            int y = Math.min(lo[1] + ((q >> 1) & 1), vs[2] - 1);
            int z = Math.min(lo[2] + ((q >> 2) & 1), vs[1] - 1);
            return (z * vs[2] + y) * vs[3] + x;
        }
    }

    private static Corner corner(Tensor points, int p, int[] size) {
        Corner k = new Corner();
        for (int a = 0; a < 3; a++) {
            double u = points.get(p * 3 + a);
            double pos = (u + 1) * 0.5 * (size[a] - 1);
            double s = 0.5 * (size[a] - 1);
            if (pos <= 0) {
                pos = 0;
                s = 0;
            } else if (pos >= size[a] - 1) {
                pos = size[a] - 1;
                s = 0;
            }
            int l = Math.min((int) Math.floor(pos), Math.max(0, size[a] - 2));
            k.lo[a] = l;
            k.frac[a] = pos - l;
            k.scale[a] = s;
        }
        return k;
    }

    // ---- transformer blocks --------------------------------------------------------------------------

    /** SiLU (swish): {@code x * sigmoid(x)}, the gate of SwiGLU ({@code silu(x W1) * (x W3)}). */
    public static Tensor silu(Tensor x) {
        return Ops.mul(x, Ops.sigmoid(x));
    }

    /**
     * Rotary position embedding on consecutive pairs, as llama2.c: for {@code x [B, T, heads * D]}, position
     * {@code t} (0-based, the sequence axis) and pair {@code (2i, 2i+1)} of every head,
     * {@code y = (x0 cos a - x1 sin a, x0 sin a + x1 cos a)} with {@code a = t * 10000^(-2i / D)}. The backward
     * pass rotates the gradient by {@code -a}.
     */
    public static Tensor rope(Tensor x, int heads) {
        int[] s = x.shape();
        if (s.length != 3 || heads < 1 || s[2] % heads != 0 || (s[2] / heads) % 2 != 0) {
            throw new IllegalArgumentException("rope needs [B, T, heads * D] with an even D, got "
                    + Shape.str(s) + " and " + heads + " heads");
        }
        int t = s[1];
        int c = s[2];
        int hd = c / heads;
        double[] cos = new double[t * hd / 2];
        double[] sin = new double[t * hd / 2];
        for (int pos = 0; pos < t; pos++) {
            for (int i = 0; i < hd; i += 2) {
                double a = pos * (1.0 / Math.pow(10000.0, i / (double) hd));
                cos[pos * hd / 2 + i / 2] = Math.cos(a);
                sin[pos * hd / 2 + i / 2] = Math.sin(a);
            }
        }
        Tensor y = Tensor.empty(x.dtype(), s);
        rotate(x, y, s[0], t, c, hd, cos, sin, 1.0);
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = Tensor.empty(x.dtype(), s);
                rotate(g, gx, s[0], t, c, hd, cos, sin, -1.0);
                Tensor acc = x.gradBuffer();
                for (int i = 0; i < gx.size(); i++) {
                    acc.addAt(i, gx.get(i));
                }
            }
        }, x);
    }

    private static void rotate(Tensor x, Tensor y, int b, int t, int c, int hd, double[] cos, double[] sin,
                               double sign) {
        for (int bi = 0; bi < b; bi++) {
            for (int pos = 0; pos < t; pos++) {
                int row = (bi * t + pos) * c;
                for (int j = 0; j < c; j += 2) {
                    int f = pos * hd / 2 + (j % hd) / 2;
                    double co = cos[f];
                    double si = sign * sin[f];
                    double x0 = x.get(row + j);
                    double x1 = x.get(row + j + 1);
                    y.set(row + j, x0 * co - x1 * si);
                    y.set(row + j + 1, x0 * si + x1 * co);
                }
            }
        }
    }

    /**
     * Causal multi-head softmax attention: {@code q, k, v [B, T, heads * D]} to {@code [B, T, heads * D]}, head
     * {@code h} of row {@code t} being {@code sum_{j <= t} softmax_j(q_t . k_j / sqrt(D)) v_j} over the same head's
     * columns. Scores and probabilities run through the GEMM on strided per-head views (no copies); the
     * probabilities {@code [B, heads, T, T]} are kept for the backward pass
     * ({@code dS = P * (dP - rowsum(P * dP)) / sqrt(D)}).
     */
    public static Tensor causalAttention(Tensor q, Tensor k, Tensor v, int heads) {
        int[] s = q.shape();
        if (s.length != 3 || !Arrays.equals(s, k.shape()) || !Arrays.equals(s, v.shape())
                || heads < 1 || s[2] % heads != 0) {
            throw new IllegalArgumentException("causalAttention needs q, k, v of one shape [B, T, heads * D], got "
                    + Shape.str(s) + ", " + Shape.str(k.shape()) + ", " + Shape.str(v.shape()) + " and " + heads
                    + " heads");
        }
        if (q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
            throw new IllegalArgumentException("causalAttention needs one dtype");
        }
        int b = s[0];
        int t = s[1];
        int c = s[2];
        int hd = c / heads;
        double scale = 1.0 / Math.sqrt(hd);
        Tensor p = Tensor.empty(q.dtype(), b, heads, t, t);
        Tensor y = Tensor.empty(q.dtype(), s);
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < heads; h++) {
                int off = bi * t * c + h * hd;
                int pOff = (bi * heads + h) * t * t;
                Ops.gemm(t, t, hd, q, off, c, false, k, off, c, true, p, pOff, t, false);
                causalSoftmaxRows(p, pOff, t, scale);
                Ops.gemm(t, hd, t, p, pOff, t, false, v, off, c, false, y, off, c, false);
            }
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            Tensor dp = Tensor.empty(q.dtype(), t, t);
            for (int bi = 0; bi < b; bi++) {
                for (int h = 0; h < heads; h++) {
                    int off = bi * t * c + h * hd;
                    int pOff = (bi * heads + h) * t * t;
                    if (v.requiresGrad) {
                        Ops.gemm(t, hd, t, p, pOff, t, true, g, off, c, false, v.gradBuffer(), off, c, true);
                    }
                    if (!q.requiresGrad && !k.requiresGrad) {
                        continue;
                    }
                    Ops.gemm(t, t, hd, g, off, c, false, v, off, c, true, dp, 0, t, false);
                    for (int i = 0; i < t; i++) {
                        double dot = 0;
                        for (int j = 0; j <= i; j++) {
                            dot += p.get(pOff + i * t + j) * dp.get(i * t + j);
                        }
                        for (int j = 0; j < t; j++) {
                            double pij = j <= i ? p.get(pOff + i * t + j) : 0.0;
                            dp.set(i * t + j, pij * (dp.get(i * t + j) - dot) * scale);
                        }
                    }
                    if (q.requiresGrad) {
                        Ops.gemm(t, hd, t, dp, 0, t, false, k, off, c, false, q.gradBuffer(), off, c, true);
                    }
                    if (k.requiresGrad) {
                        Ops.gemm(t, hd, t, dp, 0, t, true, q, off, c, false, k.gradBuffer(), off, c, true);
                    }
                }
            }
        }, q, k, v);
    }

    /** Row-wise softmax of {@code scale * S} over columns {@code j <= i}; masked entries become 0. */
    private static void causalSoftmaxRows(Tensor p, int off, int t, double scale) {
        if (p.f != null) {
            float[] a = p.f;
            for (int i = 0; i < t; i++) {
                int r = off + i * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    a[r + j] *= (float) scale;
                    max = Math.max(max, a[r + j]);
                }
                float sum = 0f;
                for (int j = 0; j <= i; j++) {
                    a[r + j] = (float) Math.exp(a[r + j] - max);
                    sum += a[r + j];
                }
                float inv = 1f / sum;
                for (int j = 0; j <= i; j++) {
                    a[r + j] *= inv;
                }
                Arrays.fill(a, r + i + 1, r + t, 0f);
            }
            return;
        }
        double[] a = p.d;
        for (int i = 0; i < t; i++) {
            int r = off + i * t;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                a[r + j] *= scale;
                max = Math.max(max, a[r + j]);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                a[r + j] = Math.exp(a[r + j] - max);
                sum += a[r + j];
            }
            for (int j = 0; j <= i; j++) {
                a[r + j] /= sum;
            }
            Arrays.fill(a, r + i + 1, r + t, 0.0);
        }
    }
}
