package org.mlsysworkbench.algorithms.core.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finite-difference gradient check in double precision. The model is built from {@link DType#F64}
 * tensors; the analytic gradient of a scalar loss (one backward pass) is compared with central
 * differences {@code (L(x + eps) - L(x - eps)) / (2 eps)}, {@code eps = 1e-6}, at up to
 * {@code maxCoords} coordinates per input (all when fewer, else a seeded random sample). The error of a
 * coordinate is {@code |num - an| / (|num| + |an|)}, or 0 when {@code |num - an| <= 1e-8 * max(1, |L|)}:
 * the rounding noise of a central difference is about {@code |L| * 1e-16 / eps = |L| * 1e-10}, so gradients
 * that are truly zero (for example of a sum of batch-normalised values with respect to gamma) compare as
 * equal. The workbench's acceptance bound is a maximum of {@code 1e-5}.
 *
 * <p>Non-smooth ops are checked away from their kinks (random inputs), and the straight-through and
 * surrogate ops with {@link Nn#smoothSurrogates(boolean)} on (this class turns it on while it runs when
 * asked).
 */
public final class GradCheck {

    /** Step of the central difference. */
    public static final double EPS = 1e-6;
    /** Absolute difference (times {@code max(1, |loss|)}) below which a coordinate counts as agreeing. */
    public static final double ABS_FLOOR = 1e-8;

    /** Outcome: the largest relative error and where it occurred. */
    public record Result(double maxRelError, String worst, int checked) {
        public boolean passes(double tolerance) {
            return maxRelError <= tolerance;
        }

        @Override
        public String toString() {
            return String.format("max rel error %.3e at %s (%d coordinates)", maxRelError, worst, checked);
        }
    }

    private GradCheck() {
    }

    /**
     * Checks {@code loss} (a scalar built from {@code inputs}; F64 leaves, all of which get
     * {@code requiresGrad}) by perturbing the inputs' storage in place.
     */
    public static Result check(Supplier<Tensor> loss, List<Tensor> inputs, int maxCoords, long seed,
                               boolean smoothSurrogates) {
        boolean before = Nn.smooth();
        Nn.smoothSurrogates(smoothSurrogates);
        try {
            for (Tensor t : inputs) {
                if (t.dtype() != DType.F64) {
                    throw new IllegalArgumentException("gradient checks run in F64; got " + t);
                }
                t.requiresGrad(true);
                t.grad = null;
            }
            List<double[]> analytic = new ArrayList<>();
            double floor;
            try (Tape tape = Tape.record()) {
                Tensor l = loss.get();
                floor = ABS_FLOOR * Math.max(1, Math.abs(l.item()));
                tape.backward(l);
            }
            for (Tensor t : inputs) {
                analytic.add(t.grad == null ? new double[t.size()] : t.grad.toDoubleArray());
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            double worst = 0;
            String where = "-";
            int checked = 0;
            for (int ti = 0; ti < inputs.size(); ti++) {
                Tensor t = inputs.get(ti);
                double[] x = t.doubles();
                int n = Math.min(maxCoords, x.length);
                for (int c = 0; c < n; c++) {
                    int i = x.length <= maxCoords ? c : rnd.nextInt(x.length);
                    double orig = x[i];
                    x[i] = orig + EPS;
                    double lp = loss.get().item();
                    x[i] = orig - EPS;
                    double lm = loss.get().item();
                    x[i] = orig;
                    double num = (lp - lm) / (2 * EPS);
                    double an = analytic.get(ti)[i];
                    double diff = Math.abs(num - an);
                    double rel = diff <= floor ? 0 : diff / (Math.abs(num) + Math.abs(an));
                    checked++;
                    if (rel > worst) {
                        worst = rel;
                        where = "input " + ti + (t.name() != null ? " '" + t.name() + "'" : "") + " [" + i
                                + "]: numeric " + num + ", analytic " + an;
                    }
                }
            }
            return new Result(worst, where, checked);
        } finally {
            Nn.smoothSurrogates(before);
        }
    }

    /**
     * Checks an op with a tensor output: the loss is {@code sum(op(inputs) * R)} with a fixed random
     * {@code R}, so that every output element's gradient is exercised.
     */
    public static Result checkOp(Function<Tensor[], Tensor> op, long seed, Tensor... inputs) {
        Tensor probe = op.apply(inputs);
        Tensor r = Tensor.randn(DType.F64, new SplittableRandom(seed ^ 0x5DEECE66DL), 1.0, probe.shape());
        return check(() -> Ops.sum(Ops.mul(op.apply(inputs), r)), List.of(inputs), 40, seed, true);
    }
}
