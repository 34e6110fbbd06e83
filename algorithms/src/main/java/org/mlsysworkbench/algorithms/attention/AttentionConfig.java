package org.mlsysworkbench.algorithms.attention;

import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The attention bench: LServe's streaming heads and page selection on a real checkpoint ({@code workload =
 * "model"}) or on synthetic needle haystacks beyond any model's context ({@code "needle"}).
 *
 * @param workload          {@code model} or {@code needle}
 * @param modelPath         llama2.c checkpoint: a file path, or {@code sample:NAME} for a bundled model
 * @param contextTokens     tokens decoded (model: at most the model's seq_len) or haystack length (needle)
 * @param streamingRatio    fraction of KV heads that stream, 0 .. 1
 * @param sinkTokens        S_sink of streaming heads (prefill and decode)
 * @param localTokens       W_local of streaming heads (prefill and decode)
 * @param budgetTokens      KV token budget B of retrieval heads
 * @param pageTokens        physical page N_P (also the prefill tile)
 * @param logicalTokens     logical page N_L; divides pageTokens
 * @param reuseInterval     C: reselect pages every C decode steps
 * @param scorer            {@code min-max} (Eq. 2) or {@code mean-std}
 * @param calibrationTokens tokens of each of the two calibration sequences that choose streaming heads
 * @param traceLayer        layer whose page timeline is recorded
 * @param traceHead         query head whose page timeline is recorded (the first retrieval head of the layer
 *                          at or after it, if it streams)
 * @param sweepBudgets      budgets of the recall-vs-budget sweep (tokens)
 * @param sweepReuse        reuse intervals C of the recall-vs-reuse sweep (model workload, at the budget)
 * @param needleHeads       heads of the needle haystack
 * @param needleHeadDim     head dimension of the needle haystack
 * @param needleTrials      seeded trials, at depths 0 .. 100 % evenly
 * @param needleLogit       the needle's scaled score q.k/sqrt(D); the other keys score about N(0, 1)
 * @param recallSequences   held-out associative-recall sequences evaluated ({@code recall}, {@code train-recall})
 * @param trainSteps        optimizer steps of {@code train-recall} ({@link RecallTrainer})
 */
public record AttentionConfig(int schemaVersion, long seed, String workload, String modelPath, int contextTokens,
                              double streamingRatio, int sinkTokens, int localTokens, int budgetTokens,
                              int pageTokens, int logicalTokens, int reuseInterval, String scorer,
                              int calibrationTokens, int traceLayer, int traceHead, List<Integer> sweepBudgets,
                              List<Integer> sweepReuse, int needleHeads, int needleHeadDim, int needleTrials, double needleLogit,
                              int recallSequences, int trainSteps)
        implements ExperimentConfig {

    public static final int SCHEMA = 1;
    /** The two workloads. */
    public static final String MODEL = "model";
    public static final String NEEDLE = "needle";
    /** The bundled recall model evaluated on held-out associative-recall sequences. */
    public static final String RECALL = "recall";
    /** Trains a recall model in the run (checkpoint {@code recall.bin} in the run folder), then evaluates it. */
    public static final String TRAIN_RECALL = "train-recall";
    /** The bundled recall model (trained by {@code train-recall}). */
    public static final String RECALL_MODEL = ModelSource.SAMPLE + "recall.bin";
    /** The bundled stories260K checkpoint. */
    public static final String STORIES_260K = ModelSource.SAMPLE + "stories260K.bin";
    static final int MAX_CONTEXT = 1 << 20;

    public AttentionConfig {
        sweepBudgets = sweepBudgets == null ? List.of() : List.copyOf(sweepBudgets);
        sweepReuse = sweepReuse == null ? List.of() : List.copyOf(sweepReuse);
    }

    /** stories260K with 50 % streaming heads and a budget of 256 of 512 tokens (small-model defaults). */
    public static AttentionConfig defaults() {
        return new AttentionConfig(SCHEMA, 42, MODEL, STORIES_260K, 512, 0.5, 4, 32, 256, 16, 4, 4, "min-max", 256,
                4, 0, List.of(64, 128, 256, 384, 512), List.of(1, 2, 4, 8, 16), 1, 64, 100, 12.0, 48, 0);
    }

    /** The needle workload at 64K tokens, pages 64/16, budget 4096 (LServe defaults). */
    public static AttentionConfig needle64k() {
        return new AttentionConfig(SCHEMA, 7, NEEDLE, STORIES_260K, 65536, 0.5, 128, 256, 4096, 64, 16, 4,
                "min-max", 256, 0, 0, List.of(512, 1024, 2048, 4096, 8192), List.of(), 1, 64, 100, 12.0, 48, 0);
    }

    /**
     * The bundled recall model on held-out recall sequences of 256 tokens: 50 % streaming heads (sink 4, local 32),
     * a page budget of 64 tokens (25 % of the context), pages 8/2, pages reselected at every step (the final query
     * is the only token that asks for the pair: a selection reused from an earlier filler token misses it, as the
     * reuse sweep shows).
     */
    public static AttentionConfig recall() {
        return new AttentionConfig(SCHEMA, 11, RECALL, RECALL_MODEL, 256, 0.5, 4, 32, 64, 8, 2, 1, "min-max", 16,
                1, 0, List.of(32, 64, 128, 256), List.of(1, 4, 16), 1, 64, 100, 12.0, 48, 0);
    }

    /** The page scorer named by {@link #scorer()}. */
    public PageScorer pageScorer() {
        return "mean-std".equals(scorer) ? PageScorer.MEAN_STD : PageScorer.MIN_MAX;
    }

    @Override
    public AttentionConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", SCHEMA + ", got " + schemaVersion);
        ConfigException.require(MODEL.equals(workload) || NEEDLE.equals(workload) || RECALL.equals(workload)
                || TRAIN_RECALL.equals(workload), "workload",
                "'model', 'needle', 'recall' or 'train-recall', got '" + workload + "'");
        ConfigException.require(modelPath != null && !modelPath.isBlank(), "modelPath",
                "a checkpoint path or sample:NAME");
        ConfigException.require(contextTokens >= 2 && contextTokens <= MAX_CONTEXT, "contextTokens",
                "2.." + MAX_CONTEXT + ", got " + contextTokens);
        ConfigException.require(streamingRatio >= 0 && streamingRatio <= 1, "streamingRatio",
                "0..1, got " + streamingRatio);
        ConfigException.require(sinkTokens >= 0 && sinkTokens <= MAX_CONTEXT, "sinkTokens", ">= 0, got " + sinkTokens);
        ConfigException.require(localTokens >= 1 && localTokens <= MAX_CONTEXT, "localTokens",
                ">= 1, got " + localTokens);
        ConfigException.require(pageTokens >= 1 && pageTokens <= 4096, "pageTokens", "1..4096, got " + pageTokens);
        ConfigException.require(logicalTokens >= 1 && pageTokens % logicalTokens == 0, "logicalTokens",
                "a divisor of pageTokens " + pageTokens + ", got " + logicalTokens);
        ConfigException.require(budgetTokens >= 1, "budgetTokens", ">= 1, got " + budgetTokens);
        ConfigException.require(reuseInterval >= 1 && reuseInterval <= 1024, "reuseInterval",
                "1..1024, got " + reuseInterval);
        ConfigException.require("min-max".equals(scorer) || "mean-std".equals(scorer), "scorer",
                "'min-max' or 'mean-std', got '" + scorer + "'");
        ConfigException.require(calibrationTokens >= 2 && calibrationTokens <= MAX_CONTEXT, "calibrationTokens",
                "2.." + MAX_CONTEXT + ", got " + calibrationTokens);
        ConfigException.require(traceLayer >= 0, "traceLayer", ">= 0, got " + traceLayer);
        ConfigException.require(traceHead >= 0, "traceHead", ">= 0, got " + traceHead);
        for (int i = 0; i < sweepBudgets.size(); i++) {
            Integer b = sweepBudgets.get(i);
            ConfigException.require(b != null && b >= 1, "sweepBudgets[" + i + "]", "a budget >= 1, got " + b);
        }
        for (int i = 0; i < sweepReuse.size(); i++) {
            Integer c = sweepReuse.get(i);
            ConfigException.require(c != null && c >= 1 && c <= 1024, "sweepReuse[" + i + "]",
                    "an interval in 1..1024, got " + c);
        }
        ConfigException.require(needleHeads >= 1 && needleHeads <= 64, "needleHeads", "1..64, got " + needleHeads);
        ConfigException.require(needleHeadDim >= 1 && needleHeadDim <= 512, "needleHeadDim",
                "1..512, got " + needleHeadDim);
        ConfigException.require(needleTrials >= 1 && needleTrials <= 10_000, "needleTrials",
                "1..10000, got " + needleTrials);
        ConfigException.require(Double.isFinite(needleLogit), "needleLogit", "a finite number");
        ConfigException.require(recallSequences >= 1 && recallSequences <= 100_000, "recallSequences",
                "1..100000, got " + recallSequences);
        ConfigException.require(trainSteps >= 0 && trainSteps <= 1_000_000, "trainSteps",
                "0..1000000, got " + trainSteps);
        ConfigException.require(!TRAIN_RECALL.equals(workload) || trainSteps >= 1, "trainSteps",
                ">= 1 for train-recall, got " + trainSteps);
        if (NEEDLE.equals(workload)) {
            long bytes = 2L * contextTokens * needleHeads * needleHeadDim * Float.BYTES;
            long heap = Runtime.getRuntime().maxMemory();
            ConfigException.require(bytes <= heap / 3 && bytes < (long) Integer.MAX_VALUE * Float.BYTES,
                    "contextTokens", "a haystack that fits in memory: " + (bytes >> 20) + " MiB of keys and values"
                            + " against a heap of " + (heap >> 20) + " MiB");
        }
        return this;
    }
}
