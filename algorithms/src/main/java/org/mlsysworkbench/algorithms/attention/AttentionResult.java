package org.mlsysworkbench.algorithms.attention;

import java.util.List;

/**
 * What an attention run shows: the head map, the prefill tile plan, the decode page timeline of the traced head,
 * the recall-vs-budget sweep, and the summary numbers. Immutable by convention (arrays are not copied).
 *
 * @param workload              {@code model} or {@code needle}
 * @param headMap               retrieval vs streaming heads with their gates
 * @param prefill               the block-sparse prefill plan of the context
 * @param traceLayer            layer of the timeline
 * @param traceHead             query head of the timeline
 * @param timeline              page selections of the traced head, one per decode step beyond the first page
 * @param sweep                 recall (and agreement or hit rate) per budget
 * @param reuseSweep            recall and agreement per reuse interval C at the run's budget (model workload)
 * @param agreement             next-token agreement dense vs LServe over all positions (model), else NaN
 * @param agreementBeyondBudget agreement over positions whose context exceeds the budget (model), else NaN
 * @param meanRecall            mean attention-mass recall of retrieval-head selections beyond the budget
 * @param hitRate               needle hit rate (needle), else NaN
 * @param trials                needle trials (needle), else empty
 * @param memory                KV memory of the run
 * @param recall                the associative-recall evaluation ({@code recall} and {@code train-recall}), else
 *                              null
 */
public record AttentionResult(String workload, HeadMap headMap, PrefillPlan prefill, int traceLayer, int traceHead,
                              List<TimelineStep> timeline, List<BudgetPoint> sweep,
                              List<ReusePoint> reuseSweep, double agreement,
                              double agreementBeyondBudget, double meanRecall, double hitRate,
                              List<NeedleTrials.Trial> trials, Memory memory, RecallEvaluation.Result recall) {

    /**
     * One decode step of the traced head.
     *
     * @param position   query position
     * @param pages      selected sequence pages, ascending, newest last
     * @param scores     physical page scores when this step reselected, else null
     * @param pageMass   dense softmax mass per page (the oracle; sums to 1)
     * @param reselected whether the selector ran at this step
     * @param recall     {@code sum_{p in pages} pageMass[p]}
     */
    public record TimelineStep(int position, int[] pages, float[] scores, double[] pageMass, boolean reselected,
                               double recall) {
    }

    /**
     * One budget of the sweep.
     *
     * @param budgetTokens budget B
     * @param recall       mean attention-mass recall of retrieval-head selections
     * @param quality      next-token agreement (model) or needle hit rate (needle)
     */
    public record BudgetPoint(int budgetTokens, double recall, double quality) {
    }

    /**
     * One reuse interval of the sweep.
     *
     * @param reuseInterval C
     * @param recall        mean attention-mass recall of retrieval-head selections
     * @param agreement     next-token agreement dense vs LServe
     */
    public record ReusePoint(int reuseInterval, double recall, double agreement) {
    }

    /**
     * KV bytes (float32) at the end of the run.
     *
     * @param denseBytes     every head keeping every token
     * @param retrievalBytes retrieval-head pages in use
     * @param statBytes      their min/max statistics
     * @param streamingBytes sink + ring pages of streaming heads
     */
    public record Memory(long denseBytes, long retrievalBytes, long statBytes, long streamingBytes) {

        public long lserveBytes() {
            return retrievalBytes + statBytes + streamingBytes;
        }
    }
}
