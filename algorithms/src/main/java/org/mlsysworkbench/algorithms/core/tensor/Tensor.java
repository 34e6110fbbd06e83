package org.mlsysworkbench.algorithms.core.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense n-dimensional array of {@code float} ({@link DType#F32}, the training type) or {@code double}
 * ({@link DType#F64}, for gradient checks), contiguous and row-major: element {@code (i0, ..., ik)} sits at
 * {@code sum(i_j * stride_j)} with {@code stride_last = 1}. Shape and storage never change; ops return new
 * tensors (see {@link Ops}, {@link Nn}).
 *
 * <p>Autodiff: a tensor with {@link #requiresGrad(boolean) requiresGrad} set is a leaf whose gradient
 * {@link #grad()} accumulates whenever an open {@link Tape} backpropagates through it. Ops on such tensors
 * under a tape produce tensors that require a gradient too.
 *
 * <p>Not thread-safe; ops may use the kernel thread pool internally.
 */
public final class Tensor {

    private final int[] shape;
    private final int size;
    private final DType dtype;
    float[] f;
    double[] d;
    boolean requiresGrad;
    /** True when produced by a recorded op (not a leaf). */
    boolean recorded;
    Tensor grad;
    private String name;

    Tensor(DType dtype, int[] shape, float[] f, double[] d) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = Shape.size(shape);
        this.f = f;
        this.d = d;
        int len = f != null ? f.length : d.length;
        if (len != size) {
            throw new IllegalArgumentException("data length " + len + " does not match shape " + Shape.str(shape));
        }
    }

    // ---- creation ----------------------------------------------------------------------------------

    /** A zero F32 tensor. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.F32, shape);
    }

    /** A zero tensor of the given type. */
    public static Tensor zeros(DType dtype, int... shape) {
        int n = Shape.size(shape);
        return dtype == DType.F32 ? new Tensor(dtype, shape, new float[n], null)
                : new Tensor(dtype, shape, null, new double[n]);
    }

    /** Every element {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        t.fill(value);
        return t;
    }

    /** Wraps {@code data} (not copied) as an F32 tensor. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(DType.F32, shape, data, null);
    }

    /** Wraps {@code data} (not copied) as an F64 tensor. */
    public static Tensor of(double[] data, int... shape) {
        return new Tensor(DType.F64, shape, null, data);
    }

    /** A scalar (shape {@code []}). */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value, new int[0]);
    }

    /** Normal(0, std) entries. */
    public static Tensor randn(DType dtype, SplittableRandom rnd, double std, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.size; i++) {
            t.set(i, std * gaussian(rnd));
        }
        return t;
    }

    /** Uniform [lo, hi) entries. */
    public static Tensor uniform(DType dtype, SplittableRandom rnd, double lo, double hi, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.size; i++) {
            t.set(i, lo + (hi - lo) * rnd.nextDouble());
        }
        return t;
    }

    /**
     * Glorot/Xavier uniform init for a {@code [fanIn, fanOut]} weight (or conv {@code [out, in, kh, kw]}),
     * returned as a leaf that requires a gradient.
     */
    public static Tensor glorot(DType dtype, SplittableRandom rnd, int... shape) {
        int fanIn;
        int fanOut;
        if (shape.length == 2) {
            fanIn = shape[0];
            fanOut = shape[1];
        } else {
            int receptive = Shape.prod(shape, 2, shape.length);
            fanIn = shape[1] * receptive;
            fanOut = shape[0] * receptive;
        }
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        return uniform(dtype, rnd, -a, a, shape).requiresGrad(true);
    }

    /** A standard normal draw (Box-Muller, one value per call). */
    static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** A zero-filled tensor for an op output, taken from the pool of the open tape if it has one. */
    static Tensor empty(DType dtype, int... shape) {
        Tape tape = Tape.current();
        BufferPool pool = tape == null ? null : tape.pool();
        if (pool == null) {
            return zeros(dtype, shape);
        }
        int n = Shape.size(shape);
        Tensor t = dtype == DType.F32 ? new Tensor(dtype, shape, pool.takeFloats(n), null)
                : new Tensor(dtype, shape, null, pool.takeDoubles(n));
        tape.own(t);
        return t;
    }

    // ---- shape and storage -------------------------------------------------------------------------

    public int[] shape() {
        return shape.clone();
    }

    /** Length along {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return size;
    }

    public DType dtype() {
        return dtype;
    }

    /** The backing {@code float[]} (row-major), F32 only. Writing to it changes the tensor. */
    public float[] data() {
        if (f == null) {
            throw new IllegalStateException(d == null ? "tensor was released with its tape's buffer pool"
                    : "data(): tensor is F64; use doubles()");
        }
        return f;
    }

    /** The backing {@code double[]}, F64 only. */
    public double[] doubles() {
        if (d == null) {
            throw new IllegalStateException(f == null ? "tensor was released with its tape's buffer pool"
                    : "doubles(): tensor is F32; use data()");
        }
        return d;
    }

    /** Element at flat (row-major) index {@code i}, widened to double. */
    public double get(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets the element at flat index {@code i} (rounded to float for F32). */
    public void set(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** Adds {@code v} to the element at flat index {@code i}. */
    void addAt(int i, double v) {
        if (f != null) {
            f[i] += (float) v;
        } else {
            d[i] += v;
        }
    }

    /** Element at a multi-index. */
    public double at(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index rank " + index.length + " for shape " + Shape.str(shape));
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape "
                        + Shape.str(shape));
            }
            off = off * shape[i] + index[i];
        }
        return get(off);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size != 1) {
            throw new IllegalStateException("item() on a tensor of shape " + Shape.str(shape));
        }
        return get(0);
    }

    public void fill(double v) {
        if (f != null) {
            Arrays.fill(f, (float) v);
        } else {
            Arrays.fill(d, v);
        }
    }

    /** Copies {@code src} (same size, any type) into this tensor's storage; no autodiff. */
    public void copyFrom(Tensor src) {
        if (src.size != size) {
            throw new IllegalArgumentException("copyFrom: size " + src.size + " into " + size);
        }
        if (f != null && src.f != null) {
            System.arraycopy(src.f, 0, f, 0, size);
        } else if (d != null && src.d != null) {
            System.arraycopy(src.d, 0, d, 0, size);
        } else {
            for (int i = 0; i < size; i++) {
                set(i, src.get(i));
            }
        }
    }

    /** A fresh, unpooled copy without gradient history. */
    public Tensor copy() {
        Tensor t = zeros(dtype, shape);
        t.copyFrom(this);
        return t;
    }

    /** This tensor converted to {@code type} (a copy, no gradient history). */
    public Tensor to(DType type) {
        Tensor t = zeros(type, shape);
        t.copyFrom(this);
        return t;
    }

    /** Shares the storage, cuts the gradient history. */
    public Tensor detach() {
        return new Tensor(dtype, shape, f, d);
    }

    /** Copies out as a float array. */
    public float[] toFloatArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) get(i);
        }
        return out;
    }

    /** Copies out as a double array. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    // ---- autodiff ----------------------------------------------------------------------------------

    /** Marks this tensor as a leaf whose gradient is wanted (parameters, or an input image). Returns this. */
    public Tensor requiresGrad(boolean on) {
        if (recorded) {
            throw new IllegalStateException("requiresGrad on an op output: only leaves can be toggled");
        }
        this.requiresGrad = on;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The accumulated gradient, or null before the first backward pass reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the accumulated gradient to zero (keeps the buffer). */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0);
        }
    }

    /** Backpropagates this scalar through the tape open on this thread. */
    public void backward() {
        Tape t = Tape.current();
        if (t == null) {
            throw new IllegalStateException("backward() needs an open Tape (try (Tape t = Tape.record()) {...})");
        }
        t.backward(this);
    }

    /**
     * The gradient buffer, created (zero) on first use; intermediate ones come from the tape's pool. Public for
     * ops defined outside this package (their backward closures accumulate into it).
     */
    public Tensor gradBuffer() {
        if (grad == null) {
            grad = recorded ? empty(dtype, shape) : zeros(dtype, shape);
        }
        return grad;
    }

    /** Returns the arrays to the pool; the tensor is unusable afterwards. */
    void release(BufferPool pool) {
        if (f != null) {
            pool.give(f);
            f = null;
        } else if (d != null) {
            pool.give(d);
            d = null;
        }
        // an intermediate gradient was taken from the same tape and is recycled on its own
        grad = null;
    }

    public String name() {
        return name;
    }

    /** Names the tensor (parameters: the key used by {@link ParameterIo}). Returns this. */
    public Tensor named(String n) {
        this.name = n;
        return this;
    }

    // ---- fluent shortcuts for the common ops -------------------------------------------------------

    public Tensor add(Tensor o) {
        return Ops.add(this, o);
    }

    public Tensor sub(Tensor o) {
        return Ops.sub(this, o);
    }

    public Tensor mul(Tensor o) {
        return Ops.mul(this, o);
    }

    public Tensor div(Tensor o) {
        return Ops.div(this, o);
    }

    public Tensor add(double c) {
        return Ops.addScalar(this, c);
    }

    public Tensor mul(double c) {
        return Ops.mulScalar(this, c);
    }

    public Tensor matmul(Tensor o) {
        return Ops.matmul(this, o);
    }

    public Tensor reshape(int... newShape) {
        return Ops.reshape(this, newShape);
    }

    public Tensor transpose(int axisA, int axisB) {
        return Ops.transpose(this, axisA, axisB);
    }

    public Tensor sum() {
        return Ops.sum(this);
    }

    public Tensor mean() {
        return Ops.mean(this);
    }

    public Tensor relu() {
        return Ops.relu(this);
    }

    public Tensor exp() {
        return Ops.exp(this);
    }

    public Tensor log() {
        return Ops.log(this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append(' ').append(dtype);
        if (name != null) {
            sb.append(" '").append(name).append('\'');
        }
        if (f == null && d == null) {
            return sb.append(" (released)").toString();
        }
        sb.append(" [");
        for (int i = 0; i < Math.min(size, 8); i++) {
            sb.append(i == 0 ? "" : ", ").append((float) get(i));
        }
        return sb.append(size > 8 ? ", ...]" : "]").toString();
    }
}
