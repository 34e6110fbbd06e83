package org.mlsysworkbench.algorithms.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.core.tensor.Adam;
import org.mlsysworkbench.algorithms.core.tensor.BufferPool;
import org.mlsysworkbench.algorithms.core.tensor.DType;
import org.mlsysworkbench.algorithms.core.tensor.LrSchedule;
import org.mlsysworkbench.algorithms.core.tensor.Nn;
import org.mlsysworkbench.algorithms.core.tensor.Ops;
import org.mlsysworkbench.algorithms.core.tensor.Tape;
import org.mlsysworkbench.algorithms.core.tensor.Tensor;

/**
 * Trains a small llama2.c-shaped decoder (RMSNorm, RoPE, multi-head causal attention, SwiGLU, BOS at position 0)
 * on {@link RecallTask} with the workbench's autodiff core, and exports it as {@link LlamaWeights} (so it runs
 * through the same {@link LlamaModel} forward pass and {@link Llama2Checkpoint} format as stories260K).
 *
 * <p>Curriculum: the first 60 % of the steps train on contexts of a quarter of the target with a query for every
 * pair, the next 20 % on half the target, the rest on the full context (attention cost grows with T^2; retrieval
 * transfers across lengths through RoPE's relative positions). Loss: cross-entropy of the value at every query of
 * a sequence. Embeddings are parametrised as {@code E[tok] + K[key(tok)] + V[value(tok)]} (pair tokens and query
 * keys share the key part; without it the model stays at chance for the whole budget) and exported as one plain
 * table. Adam with a linear warm-up and cosine decay. Deterministic in the seed (the GEMM splits work by fixed
 * row blocks). Stateless.
 */
public final class RecallTrainer {

    /**
     * Model and optimisation settings.
     *
     * @param dim           residual width
     * @param layers        transformer blocks
     * @param heads         attention heads (also KV heads: MHA)
     * @param hiddenDim     SwiGLU hidden width
     * @param contextTokens target context (the checkpoint's seq_len)
     * @param pairs         key -> value pairs per sequence
     * @param queries       queries per training sequence
     * @param steps         optimizer steps
     * @param batch         sequences per step
     * @param lr            peak learning rate
     */
    public record Settings(int dim, int layers, int heads, int hiddenDim, int contextTokens, int pairs, int queries,
                           int steps, int batch, double lr) {

        /** The shipped recall model: d = 64, 2 layers, 4 heads, context 256, 8 pairs. */
        public static Settings defaults(int steps) {
            return new Settings(64, 2, 4, 128, 256, 8, 4, steps, 16, 5e-3);
        }
    }

    /** The loss of one step, for the caller's curve. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, int contextTokens, double loss);
    }

    private RecallTrainer() {
    }

    /** Context length of step {@code step}: T/4 for the first 60 %, T/2 for the next 20 %, then T. */
    static int contextAt(Settings s, int step) {
        int min = 4 * s.pairs() + 4 + 3 * s.pairs();
        if (step < s.steps() * 3 / 5) {
            return Math.max(min, s.contextTokens() / 4);
        }
        if (step < s.steps() * 4 / 5) {
            return Math.max(min, s.contextTokens() / 2);
        }
        return s.contextTokens();
    }

    /** Queries per sequence at step {@code step}: every pair while the context is short, then {@code queries}. */
    static int queriesAt(Settings s, int step) {
        return step < s.steps() * 3 / 5 ? s.pairs() : s.queries();
    }

    /** Trains from {@code seed} and returns the weights in llama2.c layout. */
    public static LlamaWeights train(Settings s, long seed, RunContext ctx, StepListener listener) {
        SplittableRandom init = new SplittableRandom(seed);
        Params p = new Params(s, init);
        SplittableRandom data = RecallTask.trainStream(seed);
        LrSchedule schedule = LrSchedule.warmup(Math.max(1, s.steps() / 20),
                LrSchedule.cosine(Math.max(1, s.steps() - s.steps() / 20), s.lr() * 0.05));
        Adam opt = Adam.adamW(p.all(), s.lr(), 0.0, schedule);
        BufferPool pool = new BufferPool();
        for (int step = 0; step < s.steps(); step++) {
            int t = contextAt(s, step);
            int queries = queriesAt(s, step);
            RecallTask task = new RecallTask(t, s.pairs());
            int[] tokens = new int[s.batch() * t];
            List<Integer> rowList = new ArrayList<>();
            List<Integer> labelList = new ArrayList<>();
            for (int b = 0; b < s.batch(); b++) {
                RecallTask.Sample sample = task.sample(data, queries);
                System.arraycopy(sample.tokens(), 0, tokens, b * t, t);
                for (int qi = 0; qi < sample.askAt().length; qi++) {
                    rowList.add(b * t + sample.askAt()[qi]);
                    labelList.add(sample.answers()[qi]);
                }
            }
            int[] rows = rowList.stream().mapToInt(Integer::intValue).toArray();
            int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
            opt.zeroGrad();
            double lossValue;
            try (Tape tape = Tape.record(pool)) {
                Tensor logits = p.logits(tokens, s.batch(), t, rows);
                Tensor loss = Nn.crossEntropy(logits, labels);
                tape.backward(loss);
                lossValue = loss.item();
            }
            opt.step();
            if (listener != null) {
                listener.onStep(step, t, lossValue);
            }
            ctx.checkpoint((step + 1) / (double) s.steps(), "step " + (step + 1) + "/" + s.steps() + " at T = " + t
                    + ", loss " + String.format(Locale.ROOT, "%.3f", lossValue));
        }
        return p.export();
    }

    /** Trainable tensors; matrices are stored {@code [in, out]} (x W) and transposed on export. */
    static final class Params {
        final Settings s;
        final Tensor embedding;
        /** Shared key component of pair tokens and query keys; row KEYS: every other token. */
        final Tensor keyPart;
        /** Shared value component of pair tokens and value tokens; row VALUES: every other token. */
        final Tensor valuePart;
        final Tensor[] rmsAtt;
        final Tensor[] wq;
        final Tensor[] wk;
        final Tensor[] wv;
        final Tensor[] wo;
        final Tensor[] rmsFfn;
        final Tensor[] w1;
        final Tensor[] w2;
        final Tensor[] w3;
        final Tensor rmsFinal;
        final Tensor wcls;

        Params(Settings s, SplittableRandom rnd) {
            this.s = s;
            int d = s.dim();
            int l = s.layers();
            embedding = Tensor.randn(DType.F32, rnd, 0.5, RecallTask.VOCAB, d).requiresGrad(true);
            keyPart = Tensor.randn(DType.F32, rnd, 1.0, RecallTask.KEYS + 1, d).requiresGrad(true);
            valuePart = Tensor.randn(DType.F32, rnd, 1.0, RecallTask.VALUES + 1, d).requiresGrad(true);
            rmsAtt = new Tensor[l];
            wq = new Tensor[l];
            wk = new Tensor[l];
            wv = new Tensor[l];
            wo = new Tensor[l];
            rmsFfn = new Tensor[l];
            w1 = new Tensor[l];
            w2 = new Tensor[l];
            w3 = new Tensor[l];
            for (int i = 0; i < l; i++) {
                rmsAtt[i] = Tensor.full(DType.F32, 1.0, d).requiresGrad(true);
                wq[i] = Tensor.glorot(DType.F32, rnd, d, d);
                wk[i] = Tensor.glorot(DType.F32, rnd, d, d);
                wv[i] = Tensor.glorot(DType.F32, rnd, d, d);
                wo[i] = Tensor.glorot(DType.F32, rnd, d, d);
                rmsFfn[i] = Tensor.full(DType.F32, 1.0, d).requiresGrad(true);
                w1[i] = Tensor.glorot(DType.F32, rnd, d, s.hiddenDim());
                w2[i] = Tensor.glorot(DType.F32, rnd, s.hiddenDim(), d);
                w3[i] = Tensor.glorot(DType.F32, rnd, d, s.hiddenDim());
            }
            rmsFinal = Tensor.full(DType.F32, 1.0, d).requiresGrad(true);
            wcls = Tensor.glorot(DType.F32, rnd, d, RecallTask.VOCAB);
        }

        /** Training tensors holding exported weights (the inverse of {@link #export()}); for parity checks. */
        static Params fromWeights(Settings s, LlamaWeights w) {
            Params p = new Params(s, new SplittableRandom(0));
            int d = s.dim();
            int hid = s.hiddenDim();
            p.embedding.copyFrom(Tensor.of(w.tokenEmbedding.clone(), RecallTask.VOCAB, d));
            p.keyPart.fill(0.0);
            p.valuePart.fill(0.0);
            for (int i = 0; i < s.layers(); i++) {
                p.rmsAtt[i].copyFrom(Tensor.of(slice(w.rmsAtt, i, d), d));
                p.rmsFfn[i].copyFrom(Tensor.of(slice(w.rmsFfn, i, d), d));
                p.wq[i].copyFrom(untransposed(slice(w.wq, i, d * d), d, d));
                p.wk[i].copyFrom(untransposed(slice(w.wk, i, d * d), d, d));
                p.wv[i].copyFrom(untransposed(slice(w.wv, i, d * d), d, d));
                p.wo[i].copyFrom(untransposed(slice(w.wo, i, d * d), d, d));
                p.w1[i].copyFrom(untransposed(slice(w.w1, i, hid * d), d, hid));
                p.w2[i].copyFrom(untransposed(slice(w.w2, i, d * hid), hid, d));
                p.w3[i].copyFrom(untransposed(slice(w.w3, i, hid * d), d, hid));
            }
            p.rmsFinal.copyFrom(Tensor.of(w.rmsFinal.clone(), d));
            p.wcls.copyFrom(untransposed(w.wcls, d, RecallTask.VOCAB));
            return p;
        }

        private static float[] slice(float[] a, int layer, int n) {
            return Arrays.copyOfRange(a, layer * n, (layer + 1) * n);
        }

        /** llama2.c's {@code [out][in]} back to {@code [in, out]}. */
        private static Tensor untransposed(float[] a, int in, int out) {
            float[] t = new float[a.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[i * out + o] = a[o * in + i];
                }
            }
            return Tensor.of(t, in, out);
        }

        List<Tensor> all() {
            List<Tensor> all = new ArrayList<>();
            all.add(embedding);
            all.add(keyPart);
            all.add(valuePart);
            for (int i = 0; i < s.layers(); i++) {
                all.addAll(List.of(rmsAtt[i], wq[i], wk[i], wv[i], wo[i], rmsFfn[i], w1[i], w2[i], w3[i]));
            }
            all.add(rmsFinal);
            all.add(wcls);
            for (Tensor t : all) {
                t.requiresGrad(true);
            }
            return all;
        }

        /** Logits {@code [rows.length, VOCAB]} at the given flat positions of a {@code [batch, t]} token block. */
        Tensor logits(int[] tokens, int batch, int t, int[] rows) {
            int d = s.dim();
            Tensor x = embed(tokens);
            for (int i = 0; i < s.layers(); i++) {
                Tensor h = Nn.rmsNorm(x, rmsAtt[i], 1e-5);
                Tensor q = Nn.rope(Ops.reshape(Ops.matmul(h, wq[i]), batch, t, d), s.heads());
                Tensor k = Nn.rope(Ops.reshape(Ops.matmul(h, wk[i]), batch, t, d), s.heads());
                Tensor v = Ops.reshape(Ops.matmul(h, wv[i]), batch, t, d);
                Tensor a = Ops.reshape(Nn.causalAttention(q, k, v, s.heads()), batch * t, d);
                x = Ops.add(x, Ops.matmul(a, wo[i]));
                h = Nn.rmsNorm(x, rmsFfn[i], 1e-5);
                Tensor gate = Ops.mul(Nn.silu(Ops.matmul(h, w1[i])), Ops.matmul(h, w3[i]));
                x = Ops.add(x, Ops.matmul(gate, w2[i]));
            }
            Tensor h = Nn.gather(Nn.rmsNorm(x, rmsFinal, 1e-5), rows);
            return Ops.matmul(h, wcls);
        }

        /**
         * Token embeddings in the training parametrisation: {@code E[tok] + K[key(tok)] + V[value(tok)]}, where a
         * pair token has both a key and a value, a query key only a key, a value token only a value (the others use
         * the spare rows). The sum is exported as llama2.c's plain embedding table.
         */
        Tensor embed(int[] tokens) {
            int[] keyIdx = new int[tokens.length];
            int[] valueIdx = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                keyIdx[i] = keyOf(tokens[i]);
                valueIdx[i] = valueOf(tokens[i]);
            }
            return Ops.add(Ops.add(Nn.embedding(embedding, tokens), Nn.embedding(keyPart, keyIdx)),
                    Nn.embedding(valuePart, valueIdx));
        }

        static int keyOf(int tok) {
            if (tok >= RecallTask.KEY0 && tok < RecallTask.KEY0 + RecallTask.KEYS) {
                return tok - RecallTask.KEY0;
            }
            if (tok >= RecallTask.PAIR0 && tok < RecallTask.FILLER0) {
                return (tok - RecallTask.PAIR0) / RecallTask.VALUES;
            }
            return RecallTask.KEYS;
        }

        static int valueOf(int tok) {
            if (tok >= RecallTask.VALUE0 && tok < RecallTask.VALUE0 + RecallTask.VALUES) {
                return tok - RecallTask.VALUE0;
            }
            if (tok >= RecallTask.PAIR0 && tok < RecallTask.FILLER0) {
                return (tok - RecallTask.PAIR0) % RecallTask.VALUES;
            }
            return RecallTask.VALUES;
        }

        LlamaWeights export() {
            int d = s.dim();
            int l = s.layers();
            int hid = s.hiddenDim();
            LlamaConfig c = new LlamaConfig(d, hid, l, s.heads(), s.heads(), RecallTask.VOCAB, s.contextTokens(),
                    false);
            int[] all = new int[RecallTask.VOCAB];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return new LlamaWeights(c, embed(all).toFloatArray(), stack(rmsAtt, false), stack(wq, true),
                    stack(wk, true), stack(wv, true), stack(wo, true), stack(rmsFfn, false), stack(w1, true),
                    stack(w2, true), stack(w3, true), rmsFinal.toFloatArray(), transposed(wcls));
        }

        private static float[] stack(Tensor[] ts, boolean transpose) {
            int n = ts[0].size();
            float[] out = new float[ts.length * n];
            for (int i = 0; i < ts.length; i++) {
                float[] a = transpose ? transposed(ts[i]) : ts[i].toFloatArray();
                System.arraycopy(a, 0, out, i * n, n);
            }
            return out;
        }

        /** {@code [in, out]} to llama2.c's {@code [out][in]}. */
        private static float[] transposed(Tensor w) {
            int in = w.dim(0);
            int out = w.dim(1);
            float[] a = w.toFloatArray();
            float[] t = new float[a.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[o * in + i] = a[i * out + o];
                }
            }
            return t;
        }
    }
}
