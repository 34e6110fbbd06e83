package org.mlsysworkbench.algorithms.trace;

/**
 * The 27 numeric columns of AcmeTrace's {@code cluster_summary.csv}, in file order. Times are seconds,
 * GPU time is GPU-seconds, rates are fractions 0..1 of the GPU jobs (or CPU jobs for {@code *_cpu}).
 */
public enum SummaryColumn {
    JOB_NUM("job_num", Kind.COUNT),
    CPU_JOB_NUM("cpu_job_num", Kind.COUNT),
    GPU_JOB_NUM("gpu_job_num", Kind.COUNT),
    AVG_RUN_TIME_GPU("avg_run_time_gpu", Kind.SECONDS),
    AVG_QUE_TIME_GPU("avg_que_time_gpu", Kind.SECONDS),
    AVG_GPU_NUM("avg_gpu_num", Kind.GPUS),
    MED_RUN_TIME_GPU("med_run_time_gpu", Kind.SECONDS),
    MED_QUE_TIME_GPU("med_que_time_gpu", Kind.SECONDS),
    MED_GPU_NUM("med_gpu_num", Kind.GPUS),
    MAX_RUN_TIME_GPU("max_run_time_gpu", Kind.SECONDS),
    MAX_GPU("max_gpu", Kind.GPUS),
    COMPLETE_RATE_GPU("complete_rate_gpu", Kind.RATE),
    CANCEL_RATE_GPU("cancel_rate_gpu", Kind.RATE),
    FAIL_RATE_GPU("fail_rate_gpu", Kind.RATE),
    COMPLETE_GPU_TIME("complete_gpu_time", Kind.GPU_SECONDS),
    CANCEL_GPU_TIME("cancel_gpu_time", Kind.GPU_SECONDS),
    FAIL_GPU_TIME("fail_gpu_time", Kind.GPU_SECONDS),
    COMPLETE_RATE_GPU_TIME("complete_rate_gpu_time", Kind.RATE),
    CANCEL_RATE_GPU_TIME("cancel_rate_gpu_time", Kind.RATE),
    FAIL_RATE_GPU_TIME("fail_rate_gpu_time", Kind.RATE),
    AVG_RUN_TIME_CPU("avg_run_time_cpu", Kind.SECONDS),
    AVG_QUE_TIME_CPU("avg_que_time_cpu", Kind.SECONDS),
    MED_RUN_TIME_CPU("med_run_time_cpu", Kind.SECONDS),
    MED_QUE_TIME_CPU("med_que_time_cpu", Kind.SECONDS),
    COMPLETE_RATE_CPU("complete_rate_cpu", Kind.RATE),
    CANCEL_RATE_CPU("cancel_rate_cpu", Kind.RATE),
    FAIL_RATE_CPU("fail_rate_cpu", Kind.RATE);

    /** What a column measures; decides its unit and its agreement tolerance. */
    public enum Kind { COUNT, SECONDS, GPUS, RATE, GPU_SECONDS }

    private final String csvName;
    private final Kind kind;

    SummaryColumn(String csvName, Kind kind) {
        this.csvName = csvName;
        this.kind = kind;
    }

    /** The header name in {@code cluster_summary.csv}. */
    public String csvName() {
        return csvName;
    }

    public Kind kind() {
        return kind;
    }

    /** Scales with the number of jobs (counts and GPU-time totals), so compared per published job. */
    public boolean extensive() {
        return kind == Kind.COUNT || kind == Kind.GPU_SECONDS;
    }
}
