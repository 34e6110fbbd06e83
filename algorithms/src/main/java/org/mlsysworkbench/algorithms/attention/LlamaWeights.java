package org.mlsysworkbench.algorithms.attention;

/**
 * The float32 tensors of a llama2.c model. Matrices are row-major {@code [out][in]}, stacked per layer
 * ({@code wq} is {@code [layers][dim][dim]}), exactly as in the file. Immutable after loading; shared
 * read-only by any number of sessions.
 */
public final class LlamaWeights {

    final LlamaConfig config;
    final float[] tokenEmbedding;
    final float[] rmsAtt;
    final float[] wq;
    final float[] wk;
    final float[] wv;
    final float[] wo;
    final float[] rmsFfn;
    final float[] w1;
    final float[] w2;
    final float[] w3;
    final float[] rmsFinal;
    final float[] wcls;

    LlamaWeights(LlamaConfig config, float[] tokenEmbedding, float[] rmsAtt, float[] wq, float[] wk, float[] wv,
                 float[] wo, float[] rmsFfn, float[] w1, float[] w2, float[] w3, float[] rmsFinal, float[] wcls) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.rmsAtt = rmsAtt;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.rmsFfn = rmsFfn;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
        this.rmsFinal = rmsFinal;
        this.wcls = wcls;
    }

    public LlamaConfig config() {
        return config;
    }

    /** Parameter count (the legacy RoPE tables excluded). */
    public long parameterCount() {
        long n = 0;
        for (float[] a : new float[][] {tokenEmbedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal}) {
            n += a.length;
        }
        return wcls == tokenEmbedding ? n : n + wcls.length;
    }
}
