package org.mlsysworkbench.algorithms.trace;

import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ExperimentConfig;

/**
 * The trace bench: which trace to analyse (generated from a cluster preset, or a file) and the two
 * simulators' parameters.
 *
 * @param schemaVersion          {@link #SCHEMA}
 * @param seed                   seed of the generator and of the simulators
 * @param source                 {@code "generated"} or {@code "file"}
 * @param cluster                cluster preset (Seren, Kalos, Philly, Helios, PAI): the generator's preset and
 *                               the published summary row the results are compared with
 * @param jobs                   jobs to generate (1 .. 4,194,304); ignored for files
 * @param traceFile              AcmeTrace-schema CSV to load when {@code source = "file"}; {@code bundled:NAME}
 *                               names a file shipped with the workbench (the release's 3-row fixtures)
 * @param skipMalformedRows      skip (and report) malformed rows instead of stopping at the first
 * @param engineThreads          DuckDB worker threads (0 = all cores)
 * @param simulateCheckpoints    run the fault-tolerance simulator
 * @param ckptNodes              nodes of 8 GPUs of the simulated pretraining job
 * @param nodeMtbfHours          mean time between infrastructure failures per node, hours
 * @param checkpointIntervalMin  checkpoint interval of the single simulated run, minutes
 * @param syncCheckpointMin      blocking time of a synchronous checkpoint, minutes
 * @param asyncCheckpoints       asynchronous (in-memory, background upload) checkpoints
 * @param asyncSpeedup           blocking-time ratio sync / async (paper: 3.6-58.7)
 * @param automaticDiagnosis     rule and LLM-analyst diagnosis before a human
 * @param ruleHitRate            share of failures a rule recognises, 0..1
 * @param simulateEvaluation     run the evaluation-scheduling simulator
 * @param evalMaxNodes           the evaluation simulator runs 1 .. this many nodes
 * @param modelGb                evaluated checkpoint size, GB
 */
public record TraceConfig(int schemaVersion, long seed, String source, String cluster, int jobs, String traceFile,
                          boolean skipMalformedRows, int engineThreads, boolean simulateCheckpoints, int ckptNodes,
                          double nodeMtbfHours, double checkpointIntervalMin, double syncCheckpointMin,
                          boolean asyncCheckpoints, double asyncSpeedup, boolean automaticDiagnosis,
                          double ruleHitRate, boolean simulateEvaluation, int evalMaxNodes, double modelGb)
        implements ExperimentConfig {

    public static final int SCHEMA = 1;
    public static final String GENERATED = "generated";
    public static final String FILE = "file";
    public static final String BUNDLED = "bundled:";

    /** A generated Kalos trace at the published size (62,413 jobs) with both simulators. */
    public static TraceConfig defaults() {
        return new TraceConfig(SCHEMA, 42, GENERATED, "Kalos", 62_413, "", false, 0, true, 256, 3000, 120, 10,
                false, 10, false, 0.7, true, 4, 14);
    }

    /** The same config for another cluster and size (the GUI's preset picker). */
    public TraceConfig withGenerated(String clusterName, int jobCount) {
        return new TraceConfig(schemaVersion, seed, GENERATED, clusterName, jobCount, "", skipMalformedRows,
                engineThreads, simulateCheckpoints, ckptNodes, nodeMtbfHours, checkpointIntervalMin, syncCheckpointMin,
                asyncCheckpoints, asyncSpeedup, automaticDiagnosis, ruleHitRate, simulateEvaluation, evalMaxNodes,
                modelGb);
    }

    /** The same config loading a file. */
    public TraceConfig withFile(String file, String clusterName) {
        return new TraceConfig(schemaVersion, seed, FILE, clusterName, jobs, file, skipMalformedRows, engineThreads,
                simulateCheckpoints, ckptNodes, nodeMtbfHours, checkpointIntervalMin, syncCheckpointMin,
                asyncCheckpoints, asyncSpeedup, automaticDiagnosis, ruleHitRate, simulateEvaluation, evalMaxNodes,
                modelGb);
    }

    /** The same config with other checkpoint-simulator settings. */
    public TraceConfig withCheckpointing(double intervalMin, boolean async, boolean automatic) {
        return new TraceConfig(schemaVersion, seed, source, cluster, jobs, traceFile, skipMalformedRows, engineThreads,
                simulateCheckpoints, ckptNodes, nodeMtbfHours, intervalMin, syncCheckpointMin, async, asyncSpeedup,
                automatic, ruleHitRate, simulateEvaluation, evalMaxNodes, modelGb);
    }

    public boolean generated() {
        return GENERATED.equals(source);
    }

    /** The simulator parameters this config describes (the "before" preset's remaining times). */
    public CheckpointSimulator.Params checkpointParams() {
        CheckpointSimulator.Params b = automaticDiagnosis ? CheckpointSimulator.Params.after()
                : CheckpointSimulator.Params.before();
        return new CheckpointSimulator.Params(ckptNodes, b.wallDays(), nodeMtbfHours, checkpointIntervalMin,
                syncCheckpointMin, asyncCheckpoints, asyncSpeedup, b.uploadMin(), automaticDiagnosis, ruleHitRate,
                b.llmSuccessRate(), b.watchdogMin(), b.ruleDiagnosisMin(), b.llmDiagnosisMin(), b.manualDiagnosisMin(),
                b.allGatherRoundMin(), b.restartMin(), b.loadCheckpointMin());
    }

    @Override
    public TraceConfig validate() {
        ConfigException.require(schemaVersion == SCHEMA, "schemaVersion", SCHEMA + ", got " + schemaVersion);
        ConfigException.require(GENERATED.equals(source) || FILE.equals(source), "source",
                "\"generated\" or \"file\", got " + (source == null ? "null" : "\"" + source + "\""));
        try {
            ClusterPreset.of(cluster == null ? "" : cluster);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cluster", "expected one of Seren, Kalos, Philly, Helios, PAI, got " + cluster);
        }
        if (generated()) {
            ConfigException.require(jobs >= 1 && jobs <= Sampling.MAX_ITEMS, "jobs",
                    "1.." + Sampling.MAX_ITEMS + ", got " + jobs);
        } else {
            ConfigException.require(traceFile != null && !traceFile.isBlank(), "traceFile",
                    "a CSV path or bundled:NAME when source is \"file\"");
        }
        ConfigException.require(engineThreads >= 0 && engineThreads <= 256, "engineThreads", "0..256, got "
                + engineThreads);
        ConfigException.require(ckptNodes >= 1 && ckptNodes <= 100_000, "ckptNodes", "1..100000, got " + ckptNodes);
        ConfigException.require(nodeMtbfHours > 0, "nodeMtbfHours", "> 0, got " + nodeMtbfHours);
        ConfigException.require(checkpointIntervalMin >= 1 && checkpointIntervalMin <= 10_000, "checkpointIntervalMin",
                "1..10000 minutes, got " + checkpointIntervalMin);
        ConfigException.require(syncCheckpointMin > 0 && syncCheckpointMin <= 600, "syncCheckpointMin",
                "(0, 600] minutes, got " + syncCheckpointMin);
        ConfigException.require(asyncSpeedup >= 1 && asyncSpeedup <= 1000, "asyncSpeedup", "1..1000, got "
                + asyncSpeedup);
        ConfigException.require(ruleHitRate >= 0 && ruleHitRate <= 1, "ruleHitRate", "0..1, got " + ruleHitRate);
        ConfigException.require(evalMaxNodes >= 1 && evalMaxNodes <= 16, "evalMaxNodes", "1..16, got "
                + evalMaxNodes);
        ConfigException.require(modelGb > 0 && modelGb <= 2000, "modelGb", "(0, 2000] GB, got " + modelGb);
        return this;
    }
}
