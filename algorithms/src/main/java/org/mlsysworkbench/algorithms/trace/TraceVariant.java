package org.mlsysworkbench.algorithms.trace;

import java.util.List;

/** Which AcmeTrace job-trace layout a file uses, recognised from its header. */
public enum TraceVariant {
    /** {@code trace_seren.csv}: the 13 core columns. */
    SEREN,
    /** {@code trace_kalos.csv}: the core columns plus pod memory, fail and stop times (17 columns). */
    KALOS,
    /** The core columns plus other, ignored ones (a generated or converted trace). */
    CUSTOM;

    /** The columns every AcmeTrace-schema file must have, in the Seren order. */
    public static final List<String> CORE = List.of("job_id", "user", "node_num", "gpu_num", "cpu_num", "type",
            "state", "submit_time", "start_time", "end_time", "duration", "queue", "gpu_time");

    /** The Kalos columns, in file order. */
    public static final List<String> KALOS_COLUMNS = List.of("job_id", "user", "node_num", "gpu_num", "cpu_num",
            "mem_per_pod_GB", "shared_mem_per_pod", "type", "state", "submit_time", "start_time", "end_time",
            "fail_time", "stop_time", "duration", "queue", "gpu_time");

    static TraceVariant of(List<String> header) {
        if (header.equals(CORE)) {
            return SEREN;
        }
        if (header.equals(KALOS_COLUMNS)) {
            return KALOS;
        }
        return CUSTOM;
    }
}
