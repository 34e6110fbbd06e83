package org.mlsysworkbench.algorithms.attention;

import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * Measures a recall model ({@link RecallTrainer}) on held-out {@link RecallTask} sequences: dense retrieval
 * accuracy (argmax at the final query equals the value), the same under LServe (streaming heads chosen by
 * {@link StreamingCalibration} on training-stream sequences, page budget on the retrieval heads), the
 * attention-mass recall of the selected pages, and two ablations of each head class: zeroing the heads' outputs,
 * and restricting the heads to sink + local window (streaming attention). Stateless.
 */
public final class RecallEvaluation {

    /**
     * Settings of one evaluation.
     *
     * @param contextTokens  sequence length T (at most the model's seq_len)
     * @param pairs          key -> value pairs per sequence
     * @param sequences      held-out sequences evaluated
     * @param calibration    calibration sequences (training stream) for the head map
     * @param sparse         LServe settings template; its head map is replaced by the calibrated one
     * @param streamingRatio fraction of KV heads that stream
     * @param seed           seeds both streams
     */
    public record Setup(int contextTokens, int pairs, int sequences, int calibration, SparseAttentionSettings sparse,
                        double streamingRatio, long seed) {
    }

    /**
     * What the evaluation measured.
     *
     * @param heads                     the calibrated head map
     * @param denseAccuracy             fraction of held-out queries answered correctly with dense attention
     * @param lserveAccuracy            the same with LServe (streaming heads + page budget)
     * @param queryMassRecall           mean attention mass the selected pages keep, retrieval heads, at the query
     * @param massRecall                the same over every position whose context exceeds the budget
     * @param zeroRetrievalAccuracy     accuracy with the retrieval heads' outputs zeroed
     * @param zeroStreamingAccuracy     accuracy with the streaming heads' outputs zeroed
     * @param localRetrievalAccuracy    accuracy with the retrieval heads restricted to sink + local window
     * @param localStreamingAccuracy    accuracy with the streaming heads restricted to sink + local window (dense
     *                                  pages for the rest): DuoAttention's claim
     * @param nextTokenAgreement        argmax agreement dense vs LServe over every position of every sequence
     * @param accuracyByDepth           {@code [2][depthBuckets]}: dense and LServe accuracy by the queried pair's
     *                                  depth (fraction of the context), NaN for an empty bucket
     * @param int8Accuracy              dense accuracy with the int8 KV cache (static per-layer scales)
     * @param int8Agreement             argmax agreement int8-KV vs float32-KV dense, every position
     * @param int8LogitRelError         mean over positions of {@code ||l_int8 - l||_2 / ||l||_2}
     * @param kvBytesFloat32            dense KV bytes of one sequence, float32
     * @param kvBytesInt8               the same with the int8 cache (codes + scales)
     */
    public record Result(HeadMap heads, double denseAccuracy, double lserveAccuracy, double queryMassRecall,
                         double massRecall, double zeroRetrievalAccuracy, double zeroStreamingAccuracy,
                         double localRetrievalAccuracy, double localStreamingAccuracy, double nextTokenAgreement,
                         double[][] accuracyByDepth, double int8Accuracy, double int8Agreement,
                         double int8LogitRelError, long kvBytesFloat32, long kvBytesInt8) {
    }

    /** Depth buckets of {@link Result#accuracyByDepth()}. */
    public static final int DEPTH_BUCKETS = 5;

    static final String SOURCE = "calibration on recall-task training draws: streaming-approximation error per KV "
            + "head (a training-free stand-in for DuoAttention gates)";

    private RecallEvaluation() {
    }

    /**
     * The head map: {@link StreamingCalibration} gates over {@code s.calibration()} training-stream sequences
     * (stream {@code seed + 1}), classified at {@code s.streamingRatio()}.
     */
    public static HeadMap calibrate(LlamaModel model, Setup s, CancellationToken cancel) {
        RecallTask task = new RecallTask(s.contextTokens(), s.pairs());
        SplittableRandom calib = RecallTask.trainStream(s.seed() + 1);
        int[][] calSeqs = new int[s.calibration()][];
        for (int i = 0; i < calSeqs.length; i++) {
            calSeqs[i] = task.sample(calib, 1).tokens();
        }
        double[][] alpha = StreamingCalibration.gates(model, calSeqs, s.sparse().sinkTokens(),
                s.sparse().localTokens(), cancel);
        return HeadMap.classify(alpha, s.streamingRatio(), SOURCE);
    }

    /** Runs the evaluation with a given head map; {@code progress} receives fractions in [0, 1]. */
    public static Result evaluate(LlamaModel model, Setup s, HeadMap heads, CancellationToken cancel,
                                  DoubleConsumer progress) {
        LlamaConfig c = model.config();
        if (s.contextTokens() > c.seqLen()) {
            throw new IllegalArgumentException("context " + s.contextTokens() + " beyond the model's seq_len "
                    + c.seqLen());
        }
        RecallTask task = new RecallTask(s.contextTokens(), s.pairs());
        float[][] scales = int8Scales(model, s, task);
        SparseAttentionSettings t = s.sparse();
        SparseAttentionSettings lserve = new SparseAttentionSettings(heads.streaming(), t.sinkTokens(),
                t.localTokens(), t.budgetTokens(), t.pageTokens(), t.logicalTokens(), t.reuseInterval(), t.scorer());
        SparseAttentionSettings dense = SparseAttentionSettings.dense(c, t.pageTokens(), t.logicalTokens());
        SparseAttentionSettings localRetrieval = new SparseAttentionSettings(heads.retrieval(), t.sinkTokens(),
                t.localTokens(), Integer.MAX_VALUE, t.pageTokens(), t.logicalTokens(), 1, t.scorer());
        SparseAttentionSettings localStreaming = new SparseAttentionSettings(heads.streaming(), t.sinkTokens(),
                t.localTokens(), Integer.MAX_VALUE, t.pageTokens(), t.logicalTokens(), 1, t.scorer());
        SplittableRandom held = RecallTask.heldOutStream(s.seed());
        int n = s.sequences();
        int denseOk = 0;
        int lserveOk = 0;
        int zeroR = 0;
        int zeroS = 0;
        int localR = 0;
        int localS = 0;
        long agree = 0;
        long positions = 0;
        double[] queryRecall = new double[2];
        double[] recall = new double[2];
        double[][] byDepth = new double[4][DEPTH_BUCKETS];
        int int8Ok = 0;
        long int8Agree = 0;
        double int8Err = 0;
        long[] bytes = new long[2];
        for (int i = 0; i < n; i++) {
            cancel.throwIfCancelled();
            RecallTask.Sample sample = task.sample(held, 1);
            int[] tokens = sample.tokens();
            int answer = sample.answers()[0];
            int[] denseArgmax = new int[tokens.length];
            LlamaSession d = model.newSession(dense);
            LlamaSession q8 = model.newSession(dense);
            q8.useInt8Kv(scales[0], scales[1]);
            int q8Last = -1;
            for (int p = 0; p < tokens.length; p++) {
                float[] l = d.step(tokens[p]);
                denseArgmax[p] = LlamaModel.argmax(l);
                float[] l8 = q8.step(tokens[p]);
                q8Last = LlamaModel.argmax(l8);
                int8Agree += q8Last == denseArgmax[p] ? 1 : 0;
                double num = 0;
                double den = 0;
                for (int v = 0; v < l.length; v++) {
                    num += (double) (l8[v] - l[v]) * (l8[v] - l[v]);
                    den += (double) l[v] * l[v];
                }
                int8Err += Math.sqrt(num / Math.max(den, 1e-30));
            }
            int8Ok += q8Last == answer ? 1 : 0;
            bytes[0] = d.kvBytes()[0] + d.kvBytes()[2];
            bytes[1] = q8.kvBytes()[0] + q8.kvBytes()[2];
            boolean denseHit = denseArgmax[tokens.length - 1] == answer;
            LlamaSession ls = model.newSession(lserve);
            int last = tokens.length - 1;
            ls.setSelectionListener((layer, head, position, pages, count, scores, pageMass, reselected) -> {
                if (position + 1 <= lserve.budgetTokens()) {
                    return;
                }
                double kept = 0;
                for (int k = 0; k < count; k++) {
                    kept += pageMass[pages[k]];
                }
                recall[0] += kept;
                recall[1]++;
                if (position == last) {
                    queryRecall[0] += kept;
                    queryRecall[1]++;
                }
            });
            int lsLast = -1;
            for (int p = 0; p < tokens.length; p++) {
                lsLast = LlamaModel.argmax(ls.step(tokens[p]));
                agree += lsLast == denseArgmax[p] ? 1 : 0;
                positions++;
            }
            boolean lserveHit = lsLast == answer;
            denseOk += denseHit ? 1 : 0;
            lserveOk += lserveHit ? 1 : 0;
            zeroR += answerOf(model, dense, heads.retrieval(), tokens) == answer ? 1 : 0;
            zeroS += answerOf(model, dense, heads.streaming(), tokens) == answer ? 1 : 0;
            localR += answerOf(model, localRetrieval, null, tokens) == answer ? 1 : 0;
            localS += answerOf(model, localStreaming, null, tokens) == answer ? 1 : 0;
            int bucket = Math.min(DEPTH_BUCKETS - 1, sample.pairAt()[0] * DEPTH_BUCKETS / tokens.length);
            byDepth[0][bucket] += denseHit ? 1 : 0;
            byDepth[1][bucket] += lserveHit ? 1 : 0;
            byDepth[2][bucket]++;
            progress.accept((i + 1) / (double) n);
        }
        double[][] acc = new double[2][DEPTH_BUCKETS];
        for (int b = 0; b < DEPTH_BUCKETS; b++) {
            acc[0][b] = byDepth[2][b] == 0 ? Double.NaN : byDepth[0][b] / byDepth[2][b];
            acc[1][b] = byDepth[2][b] == 0 ? Double.NaN : byDepth[1][b] / byDepth[2][b];
        }
        return new Result(heads, denseOk / (double) n, lserveOk / (double) n,
                queryRecall[1] == 0 ? 1.0 : queryRecall[0] / queryRecall[1],
                recall[1] == 0 ? 1.0 : recall[0] / recall[1], zeroR / (double) n, zeroS / (double) n,
                localR / (double) n, localS / (double) n, agree / (double) positions, acc, int8Ok / (double) n,
                int8Agree / (double) positions, int8Err / positions, bytes[0], bytes[1]);
    }

    /** Static int8 scales per layer from the calibration draws (stream {@code seed + 1}). */
    static float[][] int8Scales(LlamaModel model, Setup s, RecallTask task) {
        SplittableRandom calib = RecallTask.trainStream(s.seed() + 1);
        int[][] seqs = new int[s.calibration()][];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = task.sample(calib, 1).tokens();
        }
        return Int8Kv.calibrate(model, seqs);
    }

    /** The argmax after the last token, with the given settings and ablation. */
    static int answerOf(LlamaModel model, SparseAttentionSettings settings, boolean[][] ablate, int[] tokens) {
        LlamaSession s = model.newSession(settings);
        s.ablateHeads(ablate);
        float[] logits = null;
        for (int token : tokens) {
            logits = s.step(token);
        }
        return LlamaModel.argmax(logits);
    }
}
