package org.mlsysworkbench.algorithms.core.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The reverse-mode autodiff tape. While a tape is open on a thread ({@link #record()}), every op whose
 * inputs include a tensor that requires a gradient appends a node (its output and a backward closure);
 * {@link #backward(Tensor)} replays the nodes newest first, accumulating {@code dLoss/dx} into
 * {@link Tensor#grad()} of every tensor that requires one: parameters and inputs alike (set
 * {@link Tensor#requiresGrad(boolean)} on an input image to get the gradient with respect to it).
 *
 * <p>Outside any tape ops compute forward only (inference). Tapes nest: {@link #close()} restores the
 * one that was open before. Opened with a {@link BufferPool}, the tape takes all intermediate arrays from
 * the pool and returns them on {@link #close()}; tensors computed under it are then invalid (copy what
 * must survive with {@link Tensor#copy()} before closing). Leaf gradients are never pooled.
 *
 * <p>Not thread-safe: a tape belongs to the thread that opened it. The caller closes it (try-with-resources).
 */
public final class Tape implements AutoCloseable {

    /** The backward step of one op: reads {@code out.grad()} and accumulates into its inputs' gradients. */
    @FunctionalInterface
    public interface Backward {
        void run();
    }

    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();

    private final Tape previous;
    private final BufferPool pool;
    private final List<Tensor> outputs = new ArrayList<>();
    private final List<Backward> steps = new ArrayList<>();
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Tape(BufferPool pool) {
        this.pool = pool;
        this.previous = CURRENT.get();
        CURRENT.set(this);
    }

    /** Opens a tape on this thread; close it when the step is done. */
    public static Tape record() {
        return new Tape(null);
    }

    /** Opens a tape whose intermediate arrays come from (and go back to) {@code pool}. */
    public static Tape record(BufferPool pool) {
        return new Tape(pool);
    }

    /** The tape open on this thread, or null. */
    public static Tape current() {
        return CURRENT.get();
    }

    /**
     * Called by ops after computing {@code out}: records {@code backward} when a tape is open and any
     * input requires a gradient, and marks {@code out} as requiring one.
     */
    public static Tensor op(Tensor out, Backward backward, Tensor... inputs) {
        Tape t = CURRENT.get();
        if (t == null) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.requiresGrad = true;
                out.recorded = true;
                t.outputs.add(out);
                t.steps.add(backward);
                return out;
            }
        }
        return out;
    }

    /** Backpropagates from a scalar {@code loss}, seeding {@code dLoss/dLoss = 1}. */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward(loss) needs a scalar, got shape "
                    + java.util.Arrays.toString(loss.shape()) + "; use backward(out, seed)");
        }
        Tensor seed = Tensor.zeros(loss.dtype(), loss.shape());
        seed.set(0, 1.0);
        backward(loss, seed);
    }

    /** Backpropagates from {@code out} with the given output gradient (same shape). */
    public void backward(Tensor out, Tensor seed) {
        if (closed) {
            throw new IllegalStateException("tape is closed");
        }
        if (!out.requiresGrad) {
            throw new IllegalStateException("the output does not depend on any tensor that requires a gradient");
        }
        Shape.requireSame(out.shape(), seed.shape(), "backward seed");
        Tensor g = out.gradBuffer();
        for (int i = 0; i < g.size(); i++) {
            g.set(i, g.get(i) + seed.get(i));
        }
        for (int n = steps.size() - 1; n >= 0; n--) {
            if (outputs.get(n).grad != null) {
                steps.get(n).run();
            }
        }
    }

    /** Number of recorded ops. */
    public int size() {
        return steps.size();
    }

    BufferPool pool() {
        return pool;
    }

    /** Remembers a pooled tensor so that {@link #close()} can recycle its array. */
    void own(Tensor t) {
        owned.add(t);
    }

    /** Ends recording on this thread; with a pool, recycles every intermediate array. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
        if (pool != null) {
            for (Tensor t : owned) {
                t.release(pool);
            }
        }
        owned.clear();
        outputs.clear();
        steps.clear();
    }
}
