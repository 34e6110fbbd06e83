package org.mlsysworkbench.algorithms.attention;

/**
 * The llama2.c forward pass (RMSNorm, RoPE on consecutive pairs, grouped-query attention, SwiGLU) in float32, one
 * token at a time, with pluggable decode attention ({@link SparseAttentionSettings}: dense, or LServe's streaming
 * heads plus page-selected retrieval heads). Stateless; {@link #newSession} creates the per-sequence state.
 * Thread-safe (sessions are not).
 */
public final class LlamaModel {

    final LlamaWeights w;
    final LlamaConfig c;
    final float[] ropeCos;
    final float[] ropeSin;

    public LlamaModel(LlamaWeights weights) {
        this.w = weights;
        this.c = weights.config();
        int hs = c.headSize();
        ropeCos = new float[c.seqLen() * hs / 2];
        ropeSin = new float[c.seqLen() * hs / 2];
        for (int pos = 0; pos < c.seqLen(); pos++) {
            for (int i = 0; i < hs; i += 2) {
                float freq = (float) (1.0 / Math.pow(10000.0, i / (double) hs));
                float val = pos * freq;
                ropeCos[pos * hs / 2 + i / 2] = (float) Math.cos(val);
                ropeSin[pos * hs / 2 + i / 2] = (float) Math.sin(val);
            }
        }
    }

    public LlamaConfig config() {
        return c;
    }

    /** A new sequence with the given attention settings. */
    public LlamaSession newSession(SparseAttentionSettings settings) {
        return new LlamaSession(this, settings);
    }

    /** A new sequence with dense attention (pages of 16 tokens, logical pages of 4). */
    public LlamaSession newDenseSession() {
        return new LlamaSession(this, SparseAttentionSettings.dense(c, 16, 4));
    }

    /** Greedy decoding from BOS (id 1) at position 0: the ids {@code run.c -t 0} prints. */
    public int[] greedy(int steps) {
        LlamaSession s = newDenseSession();
        int[] out = new int[steps];
        int token = 1;
        for (int i = 0; i < steps; i++) {
            token = argmax(s.step(token));
            out[i] = token;
        }
        return out;
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    static void rmsnorm(float[] out, float[] x, float[] weight, int wOff, int n) {
        float ss = 0f;
        for (int j = 0; j < n; j++) {
            ss += x[j] * x[j];
        }
        ss /= n;
        ss += 1e-5f;
        ss = 1f / (float) Math.sqrt(ss);
        for (int j = 0; j < n; j++) {
            out[j] = weight[wOff + j] * (ss * x[j]);
        }
    }

    /** {@code out[i] = sum_j W[i][j] x[j]} for the row-major {@code [rows][cols]} matrix at {@code wOff}. */
    static void matmul(float[] out, float[] x, float[] weight, int wOff, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            float val = 0f;
            int r = wOff + i * cols;
            for (int j = 0; j < cols; j++) {
                val += weight[r + j] * x[j];
            }
            out[i] = val;
        }
    }

    void rope(float[] vec, int heads, int pos) {
        int hs = c.headSize();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hs; i += 2) {
                float fcr = ropeCos[pos * hs / 2 + i / 2];
                float fci = ropeSin[pos * hs / 2 + i / 2];
                int a = h * hs + i;
                float v0 = vec[a];
                float v1 = vec[a + 1];
                vec[a] = v0 * fcr - v1 * fci;
                vec[a + 1] = v0 * fci + v1 * fcr;
            }
        }
    }
}
