package org.mlsysworkbench.algorithms.graph.quant;

/**
 * A2Q's Nearest Neighbour Strategy for nodes or graphs unseen in training: a shared table of m groups
 * (alpha_k, b_k); node i with f_i = max_j |x_ij| takes the group k minimising (f_i - qmax_k)^2.
 * Two conventions for qmax_k exist and both are offered: the paper's (Algorithm 1)
 * {@code alpha_k * (2^(b_k - 1) - 1)} and the released code's {@code 2^(b_k - 1) * alpha_k}.
 * Degree-bucketed search: out-degree >= 5 uses groups [0, 10), 2..4 uses [10, 100), < 2 uses [100, m).
 * Immutable; thread-safe.
 */
public final class NearestNeighborStrategy {

    /** Which qmax_k formula ranks the groups. */
    public enum QmaxConvention { PAPER, CODE }

    private final float[] alpha;
    private final float[] bits;
    private final QmaxConvention convention;

    public NearestNeighborStrategy(float[] alpha, float[] bits, QmaxConvention convention) {
        if (alpha.length != bits.length || alpha.length == 0) {
            throw new IllegalArgumentException("NNS needs equal, non-empty alpha and bits tables");
        }
        this.alpha = alpha.clone();
        this.bits = bits.clone();
        this.convention = convention;
    }

    public int groups() {
        return alpha.length;
    }

    /** qmax_k under this table's convention. */
    public double qmax(int k) {
        int b = Math.max(1, Math.round(Math.abs(bits[k])));
        double a = Math.abs(alpha[k]);
        return convention == QmaxConvention.PAPER ? a * ((1 << (b - 1)) - 1) : a * (1 << (b - 1));
    }

    /** The group of a node with feature row maximum f among all groups. */
    public int assign(float f) {
        return assign(f, 0, alpha.length);
    }

    /** The group of a node in the degree-bucketed mode. */
    public int assignByDegree(float f, int outDegree) {
        int m = alpha.length;
        if (m < 101) {
            return assign(f);
        }
        if (outDegree >= 5) {
            return assign(f, 0, 10);
        }
        return outDegree >= 2 ? assign(f, 10, 100) : assign(f, 100, m);
    }

    private int assign(float f, int from, int to) {
        int best = from;
        double bestD = Double.MAX_VALUE;
        for (int k = from; k < to; k++) {
            double d = f - qmax(k);
            if (d * d < bestD) {
                bestD = d * d;
                best = k;
            }
        }
        return best;
    }

    public float alpha(int k) {
        return alpha[k];
    }

    public float bits(int k) {
        return bits[k];
    }
}
