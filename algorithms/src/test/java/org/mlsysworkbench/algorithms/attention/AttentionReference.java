package org.mlsysworkbench.algorithms.attention;

/** Naive double-precision attention for tests: the textbook formula, no tiling, no online softmax. */
final class AttentionReference {

    private AttentionReference() {
    }

    /** Causal prefill with an optional token-exact streaming mask per query head; contiguous [H][T][D] layout. */
    static float[] prefill(float[] q, float[] k, float[] v, int tokens, int hq, int hkv, int dim, boolean[] streamingKv,
                           int sink, int local) {
        float[] out = new float[hq * tokens * dim];
        double scale = 1.0 / Math.sqrt(dim);
        double[] s = new double[tokens];
        for (int h = 0; h < hq; h++) {
            int kvh = h / (hq / hkv);
            boolean streaming = streamingKv[kvh];
            for (int i = 0; i < tokens; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    if (streaming && !StreamingKvCache.visible(i, j, sink, local)) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int d = 0; d < dim; d++) {
                        dot += (double) q[(h * tokens + i) * dim + d] * k[(kvh * tokens + j) * dim + d];
                    }
                    s[j] = dot * scale;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = s[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int d = 0; d < dim; d++) {
                    double o = 0;
                    for (int j = 0; j <= i; j++) {
                        o += s[j] * v[(kvh * tokens + j) * dim + d];
                    }
                    out[(h * tokens + i) * dim + d] = (float) (o / sum);
                }
            }
        }
        return out;
    }

    static float[] gaussian(java.util.SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
