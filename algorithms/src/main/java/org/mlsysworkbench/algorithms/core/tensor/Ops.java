package org.mlsysworkbench.algorithms.core.tensor;

import java.util.Arrays;
import org.mlsysworkbench.algorithms.core.kernels.CpuGemm;

/**
 * Differentiable tensor math: elementwise arithmetic with NumPy broadcasting, unary functions,
 * matmul (batched), shape ops, reductions, softmax, cumulative sums and products, clamps.
 * Each op computes its forward result and, under an open {@link Tape}, records its backward step.
 * All ops take F32 or F64 tensors (not mixed) and return a new tensor; none modifies its inputs.
 *
 * <p>Non-differentiable points take one side: {@code relu'(0) = 0}; {@code max}, {@code maximum},
 * {@code minimum} and clamps send the gradient to the first argument on ties.
 */
public final class Ops {

    private Ops() {
    }

    static void sameType(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("mixed dtypes " + a.dtype() + " and " + b.dtype());
        }
    }

    // ---- elementwise binary with broadcasting --------------------------------------------------------

    private enum Bin { ADD, SUB, MUL, DIV, MIN, MAX }

    /** {@code a + b} with broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(a, b, Bin.ADD);
    }

    /** {@code a - b} with broadcasting. */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(a, b, Bin.SUB);
    }

    /** {@code a * b} elementwise with broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(a, b, Bin.MUL);
    }

    /** {@code a / b} elementwise with broadcasting. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(a, b, Bin.DIV);
    }

    /** Elementwise minimum with broadcasting; the gradient goes to the smaller operand ({@code a} on ties). */
    public static Tensor minimum(Tensor a, Tensor b) {
        return binary(a, b, Bin.MIN);
    }

    /** Elementwise maximum with broadcasting; the gradient goes to the larger operand ({@code a} on ties). */
    public static Tensor maximum(Tensor a, Tensor b) {
        return binary(a, b, Bin.MAX);
    }

    /**
     * {@code min(max(x, lo), hi)} with tensor bounds that broadcast against {@code x} (learned clipping
     * ranges): the gradient reaches {@code lo} where {@code x < lo}, {@code hi} where {@code x > hi}, and
     * {@code x} elsewhere.
     */
    public static Tensor clamp(Tensor x, Tensor lo, Tensor hi) {
        return minimum(maximum(x, lo), hi);
    }

    /** {@code min(max(x, lo), hi)} with constant bounds; zero gradient outside {@code [lo, hi]}. */
    public static Tensor clamp(Tensor x, double lo, double hi) {
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        int n = x.size();
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            y.set(i, v < lo ? lo : Math.min(v, hi));
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < n; i++) {
                    double v = x.get(i);
                    if (v >= lo && v <= hi) {
                        gx.addAt(i, g.get(i));
                    }
                }
            }
        }, x);
    }

    private static Tensor binary(Tensor a, Tensor b, Bin op) {
        sameType(a, b);
        int[] os = Shape.broadcast(a.shape(), b.shape());
        Tensor y = Tensor.empty(a.dtype(), os);
        Idx ia = Idx.of(a.shape(), os);
        Idx ib = Idx.of(b.shape(), os);
        int n = y.size();
        if (ia.identity() && ib.identity() && a.f != null && (op == Bin.ADD || op == Bin.MUL)) {
            float[] af = a.f;
            float[] bf = b.f;
            float[] yf = y.f;
            if (op == Bin.ADD) {
                for (int i = 0; i < n; i++) {
                    yf[i] = af[i] + bf[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    yf[i] = af[i] * bf[i];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                double va = a.get(ia.at(i));
                double vb = b.get(ib.at(i));
                double v;
                switch (op) {
                    case ADD: v = va + vb; break;
                    case SUB: v = va - vb; break;
                    case MUL: v = va * vb; break;
                    case DIV: v = va / vb; break;
                    case MIN: v = va <= vb ? va : vb; break;
                    default: v = va >= vb ? va : vb; break;
                }
                y.set(i, v);
            }
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            Tensor ga = a.requiresGrad ? a.gradBuffer() : null;
            Tensor gb = b.requiresGrad ? b.gradBuffer() : null;
            for (int i = 0; i < n; i++) {
                double gi = g.get(i);
                int xa = ia.at(i);
                int xb = ib.at(i);
                double da;
                double db;
                switch (op) {
                    case ADD: da = 1; db = 1; break;
                    case SUB: da = 1; db = -1; break;
                    case MUL: da = b.get(xb); db = a.get(xa); break;
                    case DIV: {
                        double vb = b.get(xb);
                        da = 1 / vb;
                        db = -a.get(xa) / (vb * vb);
                        break;
                    }
                    case MIN: {
                        boolean first = a.get(xa) <= b.get(xb);
                        da = first ? 1 : 0;
                        db = first ? 0 : 1;
                        break;
                    }
                    default: {
                        boolean first = a.get(xa) >= b.get(xb);
                        da = first ? 1 : 0;
                        db = first ? 0 : 1;
                        break;
                    }
                }
                if (ga != null) {
                    ga.addAt(xa, gi * da);
                }
                if (gb != null) {
                    gb.addAt(xb, gi * db);
                }
            }
        }, a, b);
    }

    // ---- unary ---------------------------------------------------------------------------------------

    private enum Un { NEG, EXP, LOG, RELU, SIGMOID, TANH, SQRT, ABS, SQUARE, ADDC, MULC, POWC }

    public static Tensor neg(Tensor x) {
        return unary(x, Un.NEG, 0);
    }

    public static Tensor exp(Tensor x) {
        return unary(x, Un.EXP, 0);
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor x) {
        return unary(x, Un.LOG, 0);
    }

    public static Tensor relu(Tensor x) {
        return unary(x, Un.RELU, 0);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor x) {
        return unary(x, Un.SIGMOID, 0);
    }

    public static Tensor tanh(Tensor x) {
        return unary(x, Un.TANH, 0);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(x, Un.SQRT, 0);
    }

    /** {@code |x|}, gradient {@code sign(x)} (0 at 0). */
    public static Tensor abs(Tensor x) {
        return unary(x, Un.ABS, 0);
    }

    public static Tensor square(Tensor x) {
        return unary(x, Un.SQUARE, 0);
    }

    /** {@code x + c}. */
    public static Tensor addScalar(Tensor x, double c) {
        return unary(x, Un.ADDC, c);
    }

    /** {@code x * c}. */
    public static Tensor mulScalar(Tensor x, double c) {
        return unary(x, Un.MULC, c);
    }

    /** {@code x^p} (real power; {@code x > 0} unless {@code p} is an integer). */
    public static Tensor pow(Tensor x, double p) {
        return unary(x, Un.POWC, p);
    }

    private static Tensor unary(Tensor x, Un op, double c) {
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        int n = x.size();
        if (op == Un.RELU && x.f != null) {
            float[] xf = x.f;
            float[] yf = y.f;
            for (int i = 0; i < n; i++) {
                yf[i] = Math.max(xf[i], 0f);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                double r;
                switch (op) {
                    case NEG: r = -v; break;
                    case EXP: r = Math.exp(v); break;
                    case LOG: r = Math.log(v); break;
                    case RELU: r = v > 0 ? v : 0; break;
                    case SIGMOID: r = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); break;
                    case TANH: r = Math.tanh(v); break;
                    case SQRT: r = Math.sqrt(v); break;
                    case ABS: r = Math.abs(v); break;
                    case SQUARE: r = v * v; break;
                    case ADDC: r = v + c; break;
                    case MULC: r = v * c; break;
                    default: r = Math.pow(v, c); break;
                }
                y.set(i, r);
            }
        }
        return Tape.op(y, () -> {
            if (!x.requiresGrad) {
                return;
            }
            Tensor g = y.grad;
            Tensor gx = x.gradBuffer();
            if (op == Un.RELU && x.f != null) {
                float[] gf = g.f;
                float[] gxf = gx.f;
                float[] xf = x.f;
                for (int i = 0; i < n; i++) {
                    if (xf[i] > 0f) {
                        gxf[i] += gf[i];
                    }
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                double r = y.get(i);
                double dv;
                switch (op) {
                    case NEG: dv = -1; break;
                    case EXP: dv = r; break;
                    case LOG: dv = 1 / v; break;
                    case RELU: dv = v > 0 ? 1 : 0; break;
                    case SIGMOID: dv = r * (1 - r); break;
                    case TANH: dv = 1 - r * r; break;
                    case SQRT: dv = 0.5 / r; break;
                    case ABS: dv = v > 0 ? 1 : (v < 0 ? -1 : 0); break;
                    case SQUARE: dv = 2 * v; break;
                    case ADDC: dv = 1; break;
                    case MULC: dv = c; break;
                    default: dv = c * Math.pow(v, c - 1); break;
                }
                gx.addAt(i, g.get(i) * dv);
            }
        }, x);
    }

    // ---- matmul --------------------------------------------------------------------------------------

    /**
     * Matrix product over the last two axes: {@code [..., M, K] x [..., K, N] -> [..., M, N]}. The batch
     * axes must be equal, or one side must be 2-D (it is then shared by every batch entry).
     * F32 runs on {@link CpuGemm} (blocked, multi-threaded).
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        sameType(a, b);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2, got " + Shape.str(a.shape()) + " x "
                    + Shape.str(b.shape()));
        }
        int[] as = a.shape();
        int[] bs = b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new IllegalArgumentException("matmul inner dims differ: " + Shape.str(as) + " x " + Shape.str(bs));
        }
        if (b.rank() == 2) {
            int rows = a.size() / k;
            int[] os = as.clone();
            os[os.length - 1] = n;
            Tensor y = Tensor.empty(a.dtype(), os);
            gemm(rows, n, k, a, 0, k, false, b, 0, n, false, y, 0, n, false);
            return Tape.op(y, () -> {
                Tensor g = y.grad;
                if (a.requiresGrad) {
                    gemm(rows, k, n, g, 0, n, false, b, 0, n, true, a.gradBuffer(), 0, k, true);
                }
                if (b.requiresGrad) {
                    gemm(k, n, rows, a, 0, k, true, g, 0, n, false, b.gradBuffer(), 0, n, true);
                }
            }, a, b);
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        boolean shareA = a.rank() == 2;
        if (!shareA && !Arrays.equals(batchA, batchB)) {
            throw new IllegalArgumentException("matmul batch dims differ: " + Shape.str(as) + " x " + Shape.str(bs));
        }
        int batch = Shape.size(batchB);
        int[] os = Arrays.copyOf(batchB, batchB.length + 2);
        os[os.length - 2] = m;
        os[os.length - 1] = n;
        Tensor y = Tensor.empty(a.dtype(), os);
        int sa = shareA ? 0 : m * k;
        int sb = k * n;
        int sy = m * n;
        for (int t = 0; t < batch; t++) {
            gemm(m, n, k, a, t * sa, k, false, b, t * sb, n, false, y, t * sy, n, false);
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            for (int t = 0; t < batch; t++) {
                if (a.requiresGrad) {
                    gemm(m, k, n, g, t * sy, n, false, b, t * sb, n, true, a.gradBuffer(), t * sa, k, true);
                }
                if (b.requiresGrad) {
                    gemm(k, n, m, a, t * sa, k, true, g, t * sy, n, false, b.gradBuffer(), t * sb, n, true);
                }
            }
        }, a, b);
    }

    /**
     * {@code C (+)= op(A) op(B)} on tensor storage: {@link CpuGemm} for F32, a plain loop for F64.
     * Offsets and leading dimensions as in {@link CpuGemm#gemm(int, int, int, float[], int, int, boolean,
     * float[], int, int, boolean, float[], int, int, boolean)}.
     */
    static void gemm(int m, int n, int k, Tensor a, int aOff, int lda, boolean ta, Tensor b, int bOff, int ldb,
                     boolean tb, Tensor c, int cOff, int ldc, boolean acc) {
        if (c.f != null) {
            CpuGemm.gemm(m, n, k, a.f, aOff, lda, ta, b.f, bOff, ldb, tb, c.f, cOff, ldc, acc);
            return;
        }
        double[] ad = a.d;
        double[] bd = b.d;
        double[] cd = c.d;
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc;
            if (!acc) {
                Arrays.fill(cd, crow, crow + n, 0.0);
            }
            for (int p = 0; p < k; p++) {
                double av = ta ? ad[aOff + p * lda + i] : ad[aOff + i * lda + p];
                if (av == 0.0) {
                    continue;
                }
                if (!tb) {
                    int brow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        cd[crow + j] += av * bd[brow + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        cd[crow + j] += av * bd[bOff + j * ldb + p];
                    }
                }
            }
        }
    }

    // ---- shape ops -----------------------------------------------------------------------------------

    /** Same data, new shape (one dim may be -1). Shares storage with {@code x}. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] s = shape.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.str(shape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            s[infer] = known == 0 ? 0 : x.size() / known;
        }
        if (Shape.size(s) != x.size()) {
            throw new IllegalArgumentException("reshape " + Shape.str(x.shape()) + " to " + Shape.str(shape));
        }
        Tensor y = new Tensor(x.dtype(), s, x.f, x.d);
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

    /** Swaps two axes (a copy). */
    public static Tensor transpose(Tensor x, int axisA, int axisB) {
        int r = x.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        int a = Shape.axis(axisA, r);
        int b = Shape.axis(axisB, r);
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** Reorders axes: output axis {@code i} is input axis {@code perm[i]} (a copy). */
    public static Tensor permute(Tensor x, int... perm) {
        int r = x.rank();
        if (perm.length != r) {
            throw new IllegalArgumentException("permute: " + perm.length + " axes for rank " + r);
        }
        int[] xs = x.shape();
        int[] xStrides = Shape.strides(xs);
        int[] os = new int[r];
        int[] srcStride = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int p = Shape.axis(perm[i], r);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: repeated axis in " + Arrays.toString(perm));
            }
            seen[p] = true;
            os[i] = xs[p];
            srcStride[i] = xStrides[p];
        }
        Tensor y = Tensor.empty(x.dtype(), os);
        int n = y.size();
        int[] counter = new int[r];
        int off = 0;
        for (int i = 0; i < n; i++) {
            y.set(i, x.get(off));
            off = advance(counter, os, srcStride, off);
        }
        return Tape.op(y, () -> {
            if (!x.requiresGrad) {
                return;
            }
            Tensor g = y.grad;
            Tensor gx = x.gradBuffer();
            int[] c = new int[r];
            int o = 0;
            for (int i = 0; i < n; i++) {
                gx.addAt(o, g.get(i));
                o = advance(c, os, srcStride, o);
            }
        }, x);
    }

    /** Odometer step: increments the multi-index {@code counter} over {@code shape}, tracking an offset. */
    static int advance(int[] counter, int[] shape, int[] strides, int off) {
        for (int a = shape.length - 1; a >= 0; a--) {
            counter[a]++;
            off += strides[a];
            if (counter[a] < shape[a]) {
                return off;
            }
            off -= strides[a] * shape[a];
            counter[a] = 0;
        }
        return off;
    }

    /** Elements {@code [start, end)} along {@code axis} (a copy). */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int[] xs = x.shape();
        int ax = Shape.axis(axis, xs.length);
        if (start < 0 || end > xs[ax] || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") of axis " + axis + " in "
                    + Shape.str(xs));
        }
        int outer = Shape.prod(xs, 0, ax);
        int inner = Shape.prod(xs, ax + 1, xs.length);
        int len = xs[ax];
        int[] os = xs.clone();
        os[ax] = end - start;
        Tensor y = Tensor.empty(x.dtype(), os);
        int chunk = (end - start) * inner;
        for (int o = 0; o < outer; o++) {
            copyRange(x, (o * len + start) * inner, y, o * chunk, chunk);
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int o = 0; o < outer; o++) {
                    int src = o * chunk;
                    int dst = (o * len + start) * inner;
                    for (int i = 0; i < chunk; i++) {
                        gx.addAt(dst + i, g.get(src + i));
                    }
                }
            }
        }, x);
    }

    private static void copyRange(Tensor src, int srcOff, Tensor dst, int dstOff, int n) {
        if (src.f != null && dst.f != null) {
            System.arraycopy(src.f, srcOff, dst.f, dstOff, n);
        } else if (src.d != null && dst.d != null) {
            System.arraycopy(src.d, srcOff, dst.d, dstOff, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst.set(dstOff + i, src.get(srcOff + i));
            }
        }
    }

    /** Joins tensors along {@code axis}; other dims must agree. */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat of nothing");
        }
        int[] s0 = xs[0].shape();
        int ax = Shape.axis(axis, s0.length);
        int total = 0;
        for (Tensor t : xs) {
            sameType(xs[0], t);
            int[] s = t.shape();
            if (s.length != s0.length) {
                throw new IllegalArgumentException("concat: ranks differ");
            }
            for (int i = 0; i < s.length; i++) {
                if (i != ax && s[i] != s0[i]) {
                    throw new IllegalArgumentException("concat along " + axis + ": " + Shape.str(s0) + " vs "
                            + Shape.str(s));
                }
            }
            total += s[ax];
        }
        int outer = Shape.prod(s0, 0, ax);
        int inner = Shape.prod(s0, ax + 1, s0.length);
        int[] os = s0.clone();
        os[ax] = total;
        final int totalLen = total;
        Tensor y = Tensor.empty(xs[0].dtype(), os);
        int[] starts = new int[xs.length];
        int pos = 0;
        for (int t = 0; t < xs.length; t++) {
            starts[t] = pos;
            int len = xs[t].dim(ax);
            for (int o = 0; o < outer; o++) {
                copyRange(xs[t], o * len * inner, y, (o * total + pos) * inner, len * inner);
            }
            pos += len;
        }
        return Tape.op(y, () -> {
            Tensor g = y.grad;
            for (int t = 0; t < xs.length; t++) {
                Tensor x = xs[t];
                if (!x.requiresGrad) {
                    continue;
                }
                Tensor gx = x.gradBuffer();
                int len = x.dim(ax) * inner;
                for (int o = 0; o < outer; o++) {
                    int src = (o * totalLen + starts[t]) * inner;
                    int dst = o * len;
                    for (int i = 0; i < len; i++) {
                        gx.addAt(dst + i, g.get(src + i));
                    }
                }
            }
        }, xs);
    }

    // ---- reductions ----------------------------------------------------------------------------------

    /** Sum of all elements (shape {@code []}). */
    public static Tensor sum(Tensor x) {
        return reduce(x, false, false, allAxes(x.rank()));
    }

    /** Mean of all elements (shape {@code []}). */
    public static Tensor mean(Tensor x) {
        return reduce(x, true, false, allAxes(x.rank()));
    }

    /** Sum over {@code axes}; reduced axes are kept with length 1 when {@code keepDims}. */
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return reduce(x, false, keepDims, axes);
    }

    /** Mean over {@code axes}. */
    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return reduce(x, true, keepDims, axes);
    }

    /**
     * Biased variance {@code mean((x - mean(x))^2)} over {@code axes} (divides by N, as batch norm does),
     * fused: {@code dVar/dx = 2 (x - mean) / N}.
     */
    public static Tensor variance(Tensor x, boolean keepDims, int... axes) {
        Tensor m = reduce(x.detach(), true, true, axes);
        int[] ks = m.shape();
        Idx idx = Idx.of(ks, x.shape());
        int n = x.size();
        Tensor sq = Tensor.empty(x.dtype(), x.shape());
        for (int i = 0; i < n; i++) {
            double dv = x.get(i) - m.get(idx.at(i));
            sq.set(i, dv * dv);
        }
        Tensor v = reduce(sq, true, keepDims, axes);
        int count = n / Math.max(1, m.size());
        Tensor y = new Tensor(v.dtype(), v.shape(), v.f, v.d);
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < n; i++) {
                    int j = idx.at(i);
                    gx.addAt(i, g.get(j) * 2 * (x.get(i) - m.get(j)) / count);
                }
            }
        }, x);
    }

    private static int[] allAxes(int r) {
        int[] a = new int[r];
        for (int i = 0; i < r; i++) {
            a[i] = i;
        }
        return a;
    }

    private static Tensor reduce(Tensor x, boolean mean, boolean keepDims, int... axes) {
        int r = x.rank();
        int[] xs = x.shape();
        boolean[] red = new boolean[r];
        for (int a : axes) {
            red[Shape.axis(a, r)] = true;
        }
        int[] keep = xs.clone();
        int kept = 0;
        for (int i = 0; i < r; i++) {
            if (red[i]) {
                keep[i] = 1;
            } else {
                kept++;
            }
        }
        int[] os = keep;
        if (!keepDims) {
            os = new int[kept];
            int j = 0;
            for (int i = 0; i < r; i++) {
                if (!red[i]) {
                    os[j++] = xs[i];
                }
            }
        }
        Tensor y = Tensor.empty(x.dtype(), os);
        Idx idx = Idx.of(keep, xs);
        int n = x.size();
        int count = y.size() == 0 ? 1 : n / y.size();
        double scale = mean ? 1.0 / count : 1.0;
        if (y.size() == 1) {
            double s = 0;
            if (x.f != null) {
                float[] xf = x.f;
                for (int i = 0; i < n; i++) {
                    s += xf[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    s += x.d[i];
                }
            }
            y.set(0, s * scale);
        } else if (idx.arithmetic()) {
            // x viewed as [outer, mid, inner] with y indexed by mid: nested loops, no division per element
            int inner = idx.inner();
            int mid = idx.mid();
            int outer = n / (mid * inner);
            double[] acc = new double[mid];
            for (int o = 0; o < outer; o++) {
                for (int m = 0; m < mid; m++) {
                    int base = (o * mid + m) * inner;
                    double s = 0;
                    if (x.f != null) {
                        float[] xf = x.f;
                        for (int q = 0; q < inner; q++) {
                            s += xf[base + q];
                        }
                    } else {
                        for (int q = 0; q < inner; q++) {
                            s += x.d[base + q];
                        }
                    }
                    acc[m] += s;
                }
            }
            for (int m = 0; m < mid; m++) {
                y.set(m, acc[m] * scale);
            }
        } else {
            for (int i = 0; i < n; i++) {
                y.addAt(idx.at(i), x.get(i));
            }
            if (mean) {
                for (int i = 0; i < y.size(); i++) {
                    y.set(i, y.get(i) * scale);
                }
            }
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                if (idx.arithmetic()) {
                    int inner = idx.inner();
                    int mid = idx.mid();
                    int outer = n / (mid * inner);
                    for (int o = 0; o < outer; o++) {
                        for (int m = 0; m < mid; m++) {
                            int base = (o * mid + m) * inner;
                            double gv = g.get(m) * scale;
                            for (int q = 0; q < inner; q++) {
                                gx.addAt(base + q, gv);
                            }
                        }
                    }
                    return;
                }
                for (int i = 0; i < n; i++) {
                    gx.addAt(i, g.get(idx.at(i)) * scale);
                }
            }
        }, x);
    }

    /** Maximum along one axis; the gradient goes to the first maximal element. */
    public static Tensor max(Tensor x, int axis, boolean keepDims) {
        int[] xs = x.shape();
        int ax = Shape.axis(axis, xs.length);
        int outer = Shape.prod(xs, 0, ax);
        int len = xs[ax];
        int inner = Shape.prod(xs, ax + 1, xs.length);
        int[] os = reducedShape(xs, ax, keepDims);
        Tensor y = Tensor.empty(x.dtype(), os);
        int[] arg = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                int best = base;
                double bv = x.get(base);
                for (int l = 1; l < len; l++) {
                    double v = x.get(base + l * inner);
                    if (v > bv) {
                        bv = v;
                        best = base + l * inner;
                    }
                }
                arg[o * inner + in] = best;
                y.set(o * inner + in, bv);
            }
        }
        return Tape.op(y, () -> {
            if (x.requiresGrad) {
                Tensor g = y.grad;
                Tensor gx = x.gradBuffer();
                for (int i = 0; i < arg.length; i++) {
                    gx.addAt(arg[i], g.get(i));
                }
            }
        }, x);
    }

    static int[] reducedShape(int[] xs, int ax, boolean keepDims) {
        if (keepDims) {
            int[] os = xs.clone();
            os[ax] = 1;
            return os;
        }
        int[] os = new int[xs.length - 1];
        for (int i = 0, j = 0; i < xs.length; i++) {
            if (i != ax) {
                os[j++] = xs[i];
            }
        }
        return os;
    }

    // ---- softmax -------------------------------------------------------------------------------------

    /** Softmax along {@code axis} (max-subtracted for stability). */
    public static Tensor softmax(Tensor x, int axis) {
        return softmaxImpl(x, axis, false);
    }

    /** Log-softmax along {@code axis}: {@code x - logsumexp(x)}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return softmaxImpl(x, axis, true);
    }

    private static Tensor softmaxImpl(Tensor x, int axis, boolean log) {
        int[] xs = x.shape();
        int ax = Shape.axis(axis, xs.length);
        int outer = Shape.prod(xs, 0, ax);
        int len = xs[ax];
        int inner = Shape.prod(xs, ax + 1, xs.length);
        Tensor y = Tensor.empty(x.dtype(), xs);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                double mx = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < len; l++) {
                    mx = Math.max(mx, x.get(base + l * inner));
                }
                double s = 0;
                for (int l = 0; l < len; l++) {
                    s += Math.exp(x.get(base + l * inner) - mx);
                }
                double lse = mx + Math.log(s);
                for (int l = 0; l < len; l++) {
                    int i = base + l * inner;
                    y.set(i, log ? x.get(i) - lse : Math.exp(x.get(i) - lse));
                }
            }
        }
        return Tape.op(y, () -> {
            if (!x.requiresGrad) {
                return;
            }
            Tensor g = y.grad;
            Tensor gx = x.gradBuffer();
            for (int o = 0; o < outer; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * len * inner + in;
                    double s = 0;
                    for (int l = 0; l < len; l++) {
                        int i = base + l * inner;
                        s += log ? g.get(i) : g.get(i) * y.get(i);
                    }
                    for (int l = 0; l < len; l++) {
                        int i = base + l * inner;
                        double yi = y.get(i);
                        gx.addAt(i, log ? g.get(i) - Math.exp(yi) * s : yi * (g.get(i) - s));
                    }
                }
            }
        }, x);
    }

    // ---- cumulative ----------------------------------------------------------------------------------

    /**
     * Cumulative sum along {@code axis}: {@code y_i = sum_{j <= i} x_j}, or {@code j < i} when
     * {@code exclusive} ({@code y_0 = 0}).
     */
    public static Tensor cumsum(Tensor x, int axis, boolean exclusive) {
        int[] xs = x.shape();
        int ax = Shape.axis(axis, xs.length);
        int outer = Shape.prod(xs, 0, ax);
        int len = xs[ax];
        int inner = Shape.prod(xs, ax + 1, xs.length);
        Tensor y = Tensor.empty(x.dtype(), xs);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                double s = 0;
                for (int l = 0; l < len; l++) {
                    int i = base + l * inner;
                    double v = x.get(i);
                    if (!exclusive) {
                        s += v;
                    }
                    y.set(i, s);
                    if (exclusive) {
                        s += v;
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
            for (int o = 0; o < outer; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * len * inner + in;
                    double s = 0;
                    for (int l = len - 1; l >= 0; l--) {
                        int i = base + l * inner;
                        if (!exclusive) {
                            s += g.get(i);
                        }
                        gx.addAt(i, s);
                        if (exclusive) {
                            s += g.get(i);
                        }
                    }
                }
            }
        }, x);
    }

    /**
     * Cumulative product along {@code axis}: {@code y_i = prod_{j <= i} x_j}, or {@code j < i} when
     * {@code exclusive} ({@code y_0 = 1}; the volume-rendering transmittance {@code T_i = prod_{j<i}(1 - a_j)}).
     * The backward pass uses no division, so zeros in {@code x} are fine:
     * {@code dx_k = P_{k-1} R_k} with {@code P} the exclusive prefix product and
     * {@code R_k = g_k + x_{k+1} R_{k+1}} (inclusive) or {@code R_k = g_{k+1} + x_{k+1} R_{k+1}} (exclusive).
     */
    public static Tensor cumprod(Tensor x, int axis, boolean exclusive) {
        int[] xs = x.shape();
        int ax = Shape.axis(axis, xs.length);
        int outer = Shape.prod(xs, 0, ax);
        int len = xs[ax];
        int inner = Shape.prod(xs, ax + 1, xs.length);
        Tensor y = Tensor.empty(x.dtype(), xs);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                double p = 1;
                for (int l = 0; l < len; l++) {
                    int i = base + l * inner;
                    double v = x.get(i);
                    if (!exclusive) {
                        p *= v;
                    }
                    y.set(i, p);
                    if (exclusive) {
                        p *= v;
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
            double[] prefix = new double[len];
            for (int o = 0; o < outer; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * len * inner + in;
                    double p = 1;
                    for (int l = 0; l < len; l++) {
                        prefix[l] = p;
                        p *= x.get(base + l * inner);
                    }
                    double r = 0;
                    for (int l = len - 1; l >= 0; l--) {
                        int i = base + l * inner;
                        if (exclusive) {
                            r = l + 1 < len ? g.get(i + inner) + x.get(i + inner) * r : 0;
                        } else {
                            r = g.get(i) + (l + 1 < len ? x.get(i + inner) * r : 0);
                        }
                        gx.addAt(i, prefix[l] * r);
                    }
                }
            }
        }, x);
    }
}
