package org.mlsysworkbench.algorithms.trace;

/**
 * One job row of an AcmeTrace-schema file, timestamps normalised to UTC epoch seconds. Missing values:
 * NaN for numbers, {@link #NONE} for timestamps.
 *
 * @param jobId            job id (Slurm integer or Kubernetes string, kept as text)
 * @param user             hashed user id
 * @param nodeNum          nodes requested
 * @param gpuNum           GPUs requested; 0 marks a CPU job, NaN an unknown request (fractional for PAI)
 * @param cpuNum           CPUs requested
 * @param type             workload type (Pretrain, SFT, Eval, MLLM, Debug, Other, CPU, ...)
 * @param state            final state as written (COMPLETED, CANCELLED, FAILED, PREEMPTED, RUNNING, ...)
 * @param submitS          submission, UTC epoch seconds
 * @param startS           start of execution, UTC epoch seconds, or NONE
 * @param endS             termination, UTC epoch seconds, or NONE while running
 * @param failS            Kalos {@code fail_time}, or NONE
 * @param durationColumnS  the file's {@code duration} column (Kalos: end − submit, includes queueing)
 * @param queueColumnS     the file's {@code queue} column
 * @param gpuTimeColumn    the file's {@code gpu_time} column, GPU-seconds (NaN for CPU jobs)
 */
public record JobRecord(String jobId, String user, double nodeNum, double gpuNum, double cpuNum, String type,
                        String state, long submitS, long startS, long endS, long failS, double durationColumnS,
                        double queueColumnS, double gpuTimeColumn) {

    /** Marker of a missing timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    /** Execution time {@code end − start} in seconds, derived from the timestamps; NaN while open. */
    public double runtimeS() {
        return endS == NONE || startS == NONE ? Double.NaN : endS - startS;
    }

    /** Queueing delay {@code start − submit} in seconds, derived from the timestamps; NaN if never started. */
    public double waitS() {
        return startS == NONE ? Double.NaN : startS - submitS;
    }

    /** GPU time {@code gpu_num × runtime} in GPU-seconds (queueing excluded). */
    public double gpuTimeS() {
        return gpuNum * runtimeS();
    }

    /** True for a job that requested GPUs. */
    public boolean isGpuJob() {
        return gpuNum > 0;
    }
}
