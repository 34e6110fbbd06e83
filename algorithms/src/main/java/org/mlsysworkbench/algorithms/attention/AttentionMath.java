package org.mlsysworkbench.algorithms.attention;

/**
 * Single-threaded building blocks shared by the CPU kernels and the model's forward pass: an online-softmax
 * accumulator over chunks of keys (the order in which chunks arrive fixes the float rounding, so two callers that
 * visit the same chunks in the same order get bit-identical results), the Eq. 2 page bound, and dense reference
 * attention. No method allocates.
 */
public final class AttentionMath {

    private AttentionMath() {
    }

    /**
     * Folds keys {@code from .. to-1} of one head into a running softmax state. Scores are
     * {@code s_j = scale * q . k_j}; with {@code m' = max(m, max_j s_j)}: {@code l = l e^(m - m') + sum e^(s_j - m')},
     * {@code o = o e^(m - m') + sum e^(s_j - m') v_j}.
     *
     * @param q       query array; the query starts at {@code qOff}
     * @param k       keys, token {@code t} at {@code kvBase + t * dim}
     * @param v       values, same layout as keys
     * @param state   {@code [m, l]}; start with {@code [-inf, 0]}
     * @param acc     output accumulator of {@code dim} floats from {@code accOff}, unnormalised
     * @param scratch at least {@code to - from} floats
     */
    public static void foldKeys(float[] q, int qOff, float[] k, float[] v, int kvBase, int dim, int from, int to,
                                float scale, float[] state, float[] acc, int accOff, float[] scratch) {
        if (to <= from) {
            return;
        }
        float chunkMax = Float.NEGATIVE_INFINITY;
        for (int t = from; t < to; t++) {
            float s = dot(q, qOff, k, kvBase + t * dim, dim) * scale;
            scratch[t - from] = s;
            if (s > chunkMax) {
                chunkMax = s;
            }
        }
        float m = state[0];
        float mNew = Math.max(m, chunkMax);
        float corr = m == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(m - mNew);
        float l = state[1] * corr;
        if (corr != 1f) {
            for (int d = 0; d < dim; d++) {
                acc[accOff + d] *= corr;
            }
        }
        for (int t = from; t < to; t++) {
            float p = (float) Math.exp(scratch[t - from] - mNew);
            l += p;
            int vb = kvBase + t * dim;
            for (int d = 0; d < dim; d++) {
                acc[accOff + d] += p * v[vb + d];
            }
        }
        state[0] = mNew;
        state[1] = l;
    }

    /** Divides the accumulator by the softmax sum {@code l}; writes zeros when nothing was attended. */
    public static void finish(float[] state, float[] acc, int accOff, float[] out, int outOff, int dim) {
        float inv = state[1] > 0f ? 1f / state[1] : 0f;
        for (int d = 0; d < dim; d++) {
            out[outOff + d] = acc[accOff + d] * inv;
        }
    }

    /**
     * The Eq. 2 bound of one logical page: {@code S_j = sum_i max(q_i * kmax_j[i], q_i * kmin_j[i])}, the largest
     * {@code q . k} any key inside the box {@code [kmin, kmax]} can reach. No 1/sqrt(D) factor.
     */
    public static float minMaxScore(float[] q, int qOff, float[] kmin, float[] kmax, int statOff, int dim) {
        // four partial sums over i = 4m + lane, combined as (s0 + s1) + (s2 + s3): the shaders sum in this order
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += Math.max(q[qOff + i] * kmax[statOff + i], q[qOff + i] * kmin[statOff + i]);
            s1 += Math.max(q[qOff + i + 1] * kmax[statOff + i + 1], q[qOff + i + 1] * kmin[statOff + i + 1]);
            s2 += Math.max(q[qOff + i + 2] * kmax[statOff + i + 2], q[qOff + i + 2] * kmin[statOff + i + 2]);
            s3 += Math.max(q[qOff + i + 3] * kmax[statOff + i + 3], q[qOff + i + 3] * kmin[statOff + i + 3]);
        }
        float s = (s0 + s1) + (s2 + s3);
        for (; i < dim; i++) {
            s += Math.max(q[qOff + i] * kmax[statOff + i], q[qOff + i] * kmin[statOff + i]);
        }
        return s;
    }

    /**
     * {@code sum_i a[aOff + i] * b[bOff + i]} with four partial sums over {@code i = 4m + lane}, combined as
     * {@code (s0 + s1) + (s2 + s3)}, then the tail: the summation order every kernel (CPU and GPU) uses.
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        float s = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /**
     * The outlier-robust alternative: {@code S_j = sum_i (q_i * mean_j[i] + |q_i| * std_j[i])}, from running sums
     * {@code ksum} and {@code ksq} over {@code count} keys.
     */
    public static float meanStdScore(float[] q, int qOff, float[] ksum, float[] ksq, int statOff, int dim,
                                     int count) {
        float inv = 1f / count;
        float s = 0f;
        for (int i = 0; i < dim; i++) {
            float mean = ksum[statOff + i] * inv;
            float var = Math.max(0f, ksq[statOff + i] * inv - mean * mean);
            float qi = q[qOff + i];
            s += qi * mean + Math.abs(qi) * (float) Math.sqrt(var);
        }
        return s;
    }

    /**
     * Softmax probabilities of one query over keys {@code 0 .. tokens-1}, in double precision: the oracle that
     * recall and error metrics compare against. {@code probs} receives {@code tokens} values summing to 1.
     */
    public static void softmaxProbs(float[] q, int qOff, float[] k, int kvBase, int dim, int tokens, float scale,
                                    double[] probs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < tokens; t++) {
            int kb = kvBase + t * dim;
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) q[qOff + d] * k[kb + d];
            }
            s *= scale;
            probs[t] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int t = 0; t < tokens; t++) {
            probs[t] = Math.exp(probs[t] - max);
            sum += probs[t];
        }
        for (int t = 0; t < tokens; t++) {
            probs[t] /= sum;
        }
    }
}
