package org.mlsysworkbench.algorithms.attention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;

/**
 * Runs LServe's unified sparse attention and measures what it keeps.
 *
 * <p>Model workload: chooses streaming KV heads by calibration ({@link StreamingCalibration}), samples a sequence
 * from the model, decodes it teacher-forced with dense attention and with LServe (streaming heads + page-selected
 * retrieval heads), and reports next-token agreement, attention-mass recall, the traced head's page timeline and
 * a recall-vs-budget sweep. The model's forward pass runs in plain Java (it is tiny); the kernels of the backend
 * serve the needle workload.
 *
 * <p>Needle workload: {@link NeedleTrials} on the backend's {@link AttentionKernels}, with the published
 * Llama-3-8B head map as the head panel. Stateless.
 */
public final class AttentionExperiment implements Experiment<AttentionConfig, AttentionResult> {

    static final String CALIBRATION_SOURCE = "calibration: streaming-approximation error per KV head "
            + "(a training-free stand-in for DuoAttention gates)";
    /** File name of the checkpoint {@code train-recall} writes into the run folder. */
    public static final String TRAINED_RECALL_FILE = "recall.bin";
    /** Calibration sequences (recall-task training draws) that choose the recall model's streaming heads. */
    static final int RECALL_CALIBRATION_SEQUENCES = 16;
    static final String LLAMA3_SOURCE = "Llama-3-8B-Instruct-Gradient-1048k DuoAttention gates (published)";

    @Override
    public AttentionResult run(AttentionConfig config, RunContext ctx) {
        config.validate();
        switch (config.workload()) {
            case AttentionConfig.MODEL:
                return runModel(config, ctx);
            case AttentionConfig.RECALL:
                ctx.checkpoint(0.0, "loading " + config.modelPath());
                return runRecall(config, ctx, loadModel(config), 0.0);
            case AttentionConfig.TRAIN_RECALL:
                return runTrainRecall(config, ctx);
            default:
                return runNeedle(config, ctx);
        }
    }

    /** Trains the recall model ({@link RecallTrainer}), saves it as {@code recall.bin} in the run folder, evaluates. */
    private AttentionResult runTrainRecall(AttentionConfig c, RunContext ctx) {
        RecallTrainer.Settings s = RecallTrainer.Settings.defaults(c.trainSteps());
        s = new RecallTrainer.Settings(s.dim(), s.layers(), s.heads(), s.hiddenDim(), c.contextTokens(), s.pairs(),
                s.queries(), s.steps(), s.batch(), s.lr());
        RunContext training = new RunContext(ctx.random(), (f, m) -> ctx.checkpoint(0.7 * f, "training: " + m),
                ctx.cancel(), ctx.metrics(), ctx.backend(), ctx.outDir());
        LlamaWeights w = RecallTrainer.train(s, c.seed(), training,
                (step, t, loss) -> ctx.metrics().record("train_loss", step, loss));
        if (ctx.outDir() != null) {
            Path file = ctx.outDir().resolve(TRAINED_RECALL_FILE);
            try {
                Llama2Checkpoint.save(file, w);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
        return runRecall(c, ctx, new LlamaModel(w), 0.7);
    }

    /**
     * The recall workload: calibrated head map on recall-task training draws, the evaluation of
     * {@link RecallEvaluation} on held-out sequences, and the model-workload panels (timeline, sweeps) on one
     * held-out sequence.
     */
    private AttentionResult runRecall(AttentionConfig c, RunContext ctx, LlamaModel model, double start) {
        LlamaConfig mc = model.config();
        checkModelFields(c, mc);
        double span = 1.0 - start;
        RecallEvaluation.Setup setup = new RecallEvaluation.Setup(c.contextTokens(), RecallTask.DEFAULT_PAIRS,
                c.recallSequences(), RECALL_CALIBRATION_SEQUENCES, new SparseAttentionSettings(
                new boolean[mc.layers()][mc.kvHeads()], c.sinkTokens(), c.localTokens(), c.budgetTokens(),
                c.pageTokens(), c.logicalTokens(), c.reuseInterval(), c.pageScorer()), c.streamingRatio(), c.seed());
        ctx.checkpoint(start, "calibrating streaming heads on recall sequences");
        HeadMap heads = RecallEvaluation.calibrate(model, setup, ctx.cancel());
        RecallEvaluation.Result eval = RecallEvaluation.evaluate(model, setup, heads, ctx.cancel(),
                f -> ctx.checkpoint(start + span * (0.1 + 0.6 * f), "held-out recall sequences"));
        int[] tokens = new RecallTask(c.contextTokens(), RecallTask.DEFAULT_PAIRS)
                .sample(RecallTask.heldOutStream(c.seed() + 2), 1).tokens();
        AttentionResult result = panels(c, ctx, model, heads, tokens, start + span * 0.7, span * 0.3, eval);
        MetricsSink m = ctx.metrics();
        m.summary("recall_dense_accuracy", eval.denseAccuracy());
        m.summary("recall_lserve_accuracy", eval.lserveAccuracy());
        m.summary("recall_query_mass_recall", eval.queryMassRecall());
        m.summary("recall_mass_recall", eval.massRecall());
        m.summary("recall_zero_retrieval_accuracy", eval.zeroRetrievalAccuracy());
        m.summary("recall_zero_streaming_accuracy", eval.zeroStreamingAccuracy());
        m.summary("recall_local_retrieval_accuracy", eval.localRetrievalAccuracy());
        m.summary("recall_local_streaming_accuracy", eval.localStreamingAccuracy());
        m.summary("recall_next_token_agreement", eval.nextTokenAgreement());
        m.summary("int8_kv_accuracy", eval.int8Accuracy());
        m.summary("int8_kv_next_token_agreement", eval.int8Agreement());
        m.summary("int8_kv_logit_rel_error", eval.int8LogitRelError());
        m.summary("int8_kv_bytes", eval.kvBytesInt8());
        m.summary("float32_kv_bytes", eval.kvBytesFloat32());
        for (int b = 0; b < RecallEvaluation.DEPTH_BUCKETS; b++) {
            m.record("recall_dense_accuracy_by_depth", b, eval.accuracyByDepth()[0][b]);
            m.record("recall_lserve_accuracy_by_depth", b, eval.accuracyByDepth()[1][b]);
        }
        record(m, result);
        return result;
    }

    private static void checkModelFields(AttentionConfig c, LlamaConfig mc) {
        ConfigException.require(c.contextTokens() <= mc.seqLen(), "contextTokens",
                "at most the model's seq_len " + mc.seqLen() + ", got " + c.contextTokens());
        ConfigException.require(c.traceLayer() < mc.layers(), "traceLayer",
                "0.." + (mc.layers() - 1) + ", got " + c.traceLayer());
        ConfigException.require(c.traceHead() < mc.heads(), "traceHead",
                "0.." + (mc.heads() - 1) + ", got " + c.traceHead());
    }

    private static LlamaModel loadModel(AttentionConfig c) {
        try {
            return new LlamaModel(ModelSource.load(c.modelPath()));
        } catch (CheckpointException e) {
            throw new ConfigException("modelPath", e.getMessage(), e);
        }
    }

    private AttentionResult runModel(AttentionConfig c, RunContext ctx) {
        ctx.checkpoint(0.0, "loading " + c.modelPath());
        LlamaModel model = loadModel(c);
        LlamaConfig mc = model.config();
        checkModelFields(c, mc);
        SplittableRandom random = ctx.random();
        int calib = Math.min(c.calibrationTokens(), mc.seqLen());
        int[][] calibration = {StreamingCalibration.sample(model, calib, random.split()),
            StreamingCalibration.sample(model, calib, random.split())};
        ctx.checkpoint(0.1, "calibrating streaming heads");
        double[][] alpha = StreamingCalibration.gates(model, calibration, c.sinkTokens(), c.localTokens(),
                ctx.cancel());
        HeadMap heads = HeadMap.classify(alpha, c.streamingRatio(), CALIBRATION_SOURCE);
        int[] tokens = StreamingCalibration.sample(model, c.contextTokens(), random.split());
        AttentionResult result = panels(c, ctx, model, heads, tokens, 0.3, 0.7, null);
        // int8 KV cache (static per-layer scales from the calibration sequences) against float32, dense attention
        double[] int8 = Int8Kv.compare(model, Int8Kv.calibrate(model, calibration), tokens);
        ctx.metrics().summary("int8_kv_next_token_agreement", int8[0]);
        ctx.metrics().summary("int8_kv_logit_rel_error", int8[1]);
        ctx.metrics().summary("float32_kv_bytes", int8[2]);
        ctx.metrics().summary("int8_kv_bytes", int8[3]);
        record(ctx.metrics(), result);
        return result;
    }

    /**
     * The panels of a model run on one token sequence: the dense reference, the traced LServe decode, each half of
     * LServe alone, the budget and reuse sweeps, the prefill plan and the memory breakdown.
     */
    private static AttentionResult panels(AttentionConfig c, RunContext ctx, LlamaModel model, HeadMap heads,
                                          int[] tokens, double start, double span, RecallEvaluation.Result recall) {
        LlamaConfig mc = model.config();
        ctx.checkpoint(start, "dense reference");
        int[] dense = denseNext(model, tokens, ctx);
        int traceHead = traceHead(heads, mc, c.traceLayer(), c.traceHead());
        SparseRun main = sparseRun(model, settings(c, heads, c.budgetTokens()), tokens, dense, c.traceLayer(),
                traceHead, ctx);
        // the two halves of LServe on their own: page selection with no streaming heads, streaming with no budget
        HeadMap none = HeadMap.classify(heads.alpha(), 0.0, heads.source());
        SparseRun selectionOnly = sparseRun(model, settings(c, none, c.budgetTokens()), tokens, dense, -1, -1, ctx);
        SparseRun streamingOnly = sparseRun(model, settings(c, heads, Integer.MAX_VALUE), tokens, dense, -1, -1, ctx);
        ctx.metrics().summary("next_token_agreement_selection_only", selectionOnly.agreement);
        ctx.metrics().summary("next_token_agreement_streaming_only", streamingOnly.agreement);
        List<AttentionResult.BudgetPoint> sweep = new ArrayList<>();
        for (int i = 0; i < c.sweepBudgets().size(); i++) {
            ctx.checkpoint(start + span * (0.2 + 0.7 * i / c.sweepBudgets().size()),
                    "budget sweep " + c.sweepBudgets().get(i));
            int b = c.sweepBudgets().get(i);
            SparseRun r = sparseRun(model, settings(c, heads, b), tokens, dense, -1, -1, ctx);
            sweep.add(new AttentionResult.BudgetPoint(b, r.meanRecall, r.agreement));
        }
        List<AttentionResult.ReusePoint> reuse = new ArrayList<>();
        for (int interval : c.sweepReuse()) {
            ctx.checkpoint(start + span * 0.95, "reuse sweep C = " + interval);
            SparseRun r = sparseRun(model, withReuse(settings(c, heads, c.budgetTokens()), interval), tokens, dense,
                    -1, -1, ctx);
            reuse.add(new AttentionResult.ReusePoint(interval, r.meanRecall, r.agreement));
        }
        PrefillPlan plan = PrefillPlan.build(c.contextTokens(), mc.heads(), mc.kvHeads(), mc.headSize(),
                c.pageTokens(), c.pageTokens(), anyStreaming(heads.streaming()), c.sinkTokens(), c.localTokens());
        long denseBytes = 2L * mc.layers() * mc.kvHeads() * c.contextTokens() * mc.headSize() * Float.BYTES;
        AttentionResult.Memory memory = new AttentionResult.Memory(denseBytes, main.kvBytes[0], main.kvBytes[1],
                main.kvBytes[2]);
        return new AttentionResult(c.workload(), heads, plan, c.traceLayer(), traceHead, main.timeline, sweep, reuse,
                main.agreement, main.agreementBeyond, main.meanRecall, Double.NaN, List.of(), memory, recall);
    }

    /** The tile plan shows the heads of layer 0 (the plan is per layer; every layer has the same shape). */
    private static boolean[] anyStreaming(boolean[][] streaming) {
        return streaming[0].clone();
    }

    private static int traceHead(HeadMap heads, LlamaConfig mc, int layer, int wanted) {
        for (int i = 0; i < mc.heads(); i++) {
            int h = (wanted + i) % mc.heads();
            if (heads.retrieval()[layer][h / mc.groupSize()]) {
                return h;
            }
        }
        return wanted;
    }

    private static SparseAttentionSettings withReuse(SparseAttentionSettings s, int interval) {
        return new SparseAttentionSettings(s.streamingKv(), s.sinkTokens(), s.localTokens(), s.budgetTokens(),
                s.pageTokens(), s.logicalTokens(), interval, s.scorer());
    }

    static SparseAttentionSettings settings(AttentionConfig c, HeadMap heads, int budget) {
        return new SparseAttentionSettings(heads.streaming(), c.sinkTokens(), c.localTokens(), budget,
                c.pageTokens(), c.logicalTokens(), c.reuseInterval(), c.pageScorer());
    }

    private static int[] denseNext(LlamaModel model, int[] tokens, RunContext ctx) {
        LlamaSession s = model.newDenseSession();
        int[] next = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (i % 64 == 0) {
                ctx.cancel().throwIfCancelled();
            }
            next[i] = LlamaModel.argmax(s.step(tokens[i]));
        }
        return next;
    }

    /** Outcome of one teacher-forced sparse decode. */
    private static final class SparseRun {
        double agreement;
        double agreementBeyond;
        double meanRecall;
        long[] kvBytes;
        final List<AttentionResult.TimelineStep> timeline = new ArrayList<>();
    }

    private static SparseRun sparseRun(LlamaModel model, SparseAttentionSettings settings, int[] tokens, int[] dense,
                                       int traceLayer, int traceHead, RunContext ctx) {
        SparseRun run = new SparseRun();
        LlamaSession s = model.newSession(settings);
        double[] recall = new double[2];
        s.setSelectionListener((layer, head, position, pages, count, scores, pageMass, reselected) -> {
            int np = settings.pageTokens();
            int pageCount = position / np + 1;
            double kept = 0;
            for (int i = 0; i < count; i++) {
                kept += pageMass[pages[i]];
            }
            if (position + 1 > settings.budgetTokens()) {
                recall[0] += kept;
                recall[1]++;
            }
            if (layer == traceLayer && head == traceHead) {
                run.timeline.add(new AttentionResult.TimelineStep(position, Arrays.copyOf(pages, count),
                        scores == null ? null : Arrays.copyOf(scores, pageCount), Arrays.copyOf(pageMass, pageCount),
                        reselected, kept));
            }
        });
        int agree = 0;
        int beyond = 0;
        int agreeBeyond = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (i % 64 == 0) {
                ctx.cancel().throwIfCancelled();
            }
            boolean same = LlamaModel.argmax(s.step(tokens[i])) == dense[i];
            agree += same ? 1 : 0;
            if (i + 1 > settings.budgetTokens()) {
                beyond++;
                agreeBeyond += same ? 1 : 0;
            }
        }
        run.agreement = agree / (double) tokens.length;
        run.agreementBeyond = beyond == 0 ? Double.NaN : agreeBeyond / (double) beyond;
        run.meanRecall = recall[1] == 0 ? 1.0 : recall[0] / recall[1];
        run.kvBytes = s.kvBytes();
        return run;
    }

    private AttentionResult runNeedle(AttentionConfig c, RunContext ctx) {
        AttentionKernels provided = ctx.backend().kernels(AttentionKernels.class).orElse(null);
        AttentionKernels kernels = provided != null ? provided : new CpuAttentionKernels();
        try {
            int[] budgets = c.sweepBudgets().stream().mapToInt(Integer::intValue).toArray();
            NeedleTrials.Setup setup = new NeedleTrials.Setup(c.contextTokens(), c.needleHeads(), c.needleHeadDim(),
                    c.pageTokens(), c.logicalTokens(), c.budgetTokens(), c.needleLogit(), c.needleTrials(), budgets);
            NeedleTrials.Summary s = NeedleTrials.run(kernels, setup, ctx.random(), ctx.cancel(),
                    i -> ctx.checkpoint(i / (double) c.needleTrials(), "needle trial " + i + "/" + c.needleTrials()));
            List<AttentionResult.BudgetPoint> sweep = new ArrayList<>();
            for (int b = 0; b < budgets.length; b++) {
                double hit = 0;
                double rec = 0;
                for (NeedleTrials.Trial t : s.trials()) {
                    hit += t.sweepHitRate()[b];
                    rec += t.sweepRecall()[b];
                }
                sweep.add(new AttentionResult.BudgetPoint(budgets[b], rec / s.trials().length,
                        hit / s.trials().length));
            }
            HeadMap heads = HeadMap.classify(HeadMap.llama3Gates(), c.streamingRatio(), LLAMA3_SOURCE);
            int kv = Math.max(2, c.needleHeads());
            boolean[] streaming = new boolean[kv];
            for (int h = 0; h < kv; h++) {
                streaming[h] = h < Math.round(c.streamingRatio() * kv);
            }
            PrefillPlan plan = PrefillPlan.build(c.contextTokens(), kv, kv, c.needleHeadDim(), c.pageTokens(),
                    c.pageTokens(), streaming, c.sinkTokens(), c.localTokens());
            long kvBytes = 2L * c.contextTokens() * c.needleHeads() * c.needleHeadDim() * Float.BYTES;
            long stats = 2L * ((c.contextTokens() + c.logicalTokens() - 1) / c.logicalTokens()) * c.needleHeads()
                    * c.needleHeadDim() * Float.BYTES;
            AttentionResult result = new AttentionResult(AttentionConfig.NEEDLE, heads, plan, 0, 0, List.of(), sweep,
                    List.of(),
                    Double.NaN, Double.NaN, s.meanRecall(), s.hitRate(), List.of(s.trials()),
                    new AttentionResult.Memory(kvBytes, kvBytes, stats, 0), null);
            MetricsSink m = ctx.metrics();
            for (int i = 0; i < s.trials().length; i++) {
                NeedleTrials.Trial t = s.trials()[i];
                m.record("needle_hit", i, t.hitRate());
                m.record("needle_recall", i, t.recall());
                m.record("needle_rel_error", i, t.relError());
            }
            record(m, result);
            return result;
        } finally {
            if (provided == null) {
                kernels.close();
            }
        }
    }

    private static void record(MetricsSink m, AttentionResult r) {
        HeadMap h = r.headMap();
        for (int l = 0; l < h.layers(); l++) {
            for (int k = 0; k < h.kvHeads(); k++) {
                m.record("head_alpha", (long) l * h.kvHeads() + k, h.alpha()[l][k]);
            }
            m.record("retrieval_heads", l, h.retrievalPerLayer()[l]);
        }
        m.summary("head_threshold", h.threshold());
        m.summary("streaming_ratio_realised", h.realisedStreamingRatio());
        m.summary("prefill_sparsity", r.prefill().sparsity());
        m.summary("prefill_ideal_speedup", r.prefill().idealSpeedup());
        for (AttentionResult.TimelineStep t : r.timeline()) {
            m.record("trace_recall", t.position(), t.recall());
            m.record("trace_selected_pages", t.position(), t.pages().length);
        }
        for (AttentionResult.BudgetPoint p : r.sweep()) {
            m.record("sweep_recall", p.budgetTokens(), p.recall());
            m.record(!AttentionConfig.NEEDLE.equals(r.workload()) ? "sweep_agreement" : "sweep_hit_rate",
                    p.budgetTokens(), p.quality());
        }
        for (AttentionResult.ReusePoint p : r.reuseSweep()) {
            m.record("reuse_recall", p.reuseInterval(), p.recall());
            m.record("reuse_agreement", p.reuseInterval(), p.agreement());
        }
        if (!AttentionConfig.NEEDLE.equals(r.workload())) {
            m.summary("next_token_agreement", r.agreement());
            m.summary("next_token_agreement_beyond_budget", r.agreementBeyondBudget());
        } else {
            m.summary("needle_hit_rate", r.hitRate());
        }
        m.summary("recall_mean", r.meanRecall());
        m.summary("kv_bytes_dense", r.memory().denseBytes());
        m.summary("kv_bytes_lserve", r.memory().lserveBytes());
    }
}
