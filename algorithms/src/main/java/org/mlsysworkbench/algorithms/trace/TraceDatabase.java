package org.mlsysworkbench.algorithms.trace;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * The trace engine: an embedded, in-memory DuckDB reached through {@code java.sql} only (the driver is a
 * runtime dependency, DESIGN.md). {@link #load} checks a file with {@link AcmeTraceReader} and then lets
 * DuckDB read it into the table {@code jobs}:
 *
 * <pre>
 * jobs(job_id, user, node_num, gpu_num, cpu_num, type, state,
 *      submit_s, start_s, end_s, fail_s          -- UTC epoch seconds (BIGINT, NULL when missing)
 *      duration_s, queue_s, gpu_time_col         -- the file's columns as written (DOUBLE)
 *      runtime_s = end_s - start_s, wait_s = start_s - submit_s,
 *      gpu_time_s = gpu_num * runtime_s          -- derived from the timestamps
 *      gpu_seconds = gpu_num * duration_s        -- GPU time as the paper counts it
 *      duration_bin, runtime_bin, wait_bin       -- log2 bins of the CDFs (0 for ≤ 1 s, else ⌈log2 v⌉)
 *      is_gpu = gpu_num > 0, is_cpu = gpu_num = 0,
 *      state_group in ('complete', 'cancel', 'fail', 'open'))
 * </pre>
 *
 * {@code state_group} follows the paper: every state except COMPLETED and CANCELLED counts as failed;
 * RUNNING, PENDING and UNKNOWN are kept apart as 'open'. Not thread-safe: one thread at a time.
 * The caller closes it.
 */
public final class TraceDatabase implements AutoCloseable {

    /**
     * What a load found.
     *
     * @param name         the file name
     * @param scan         the reader's report
     * @param releaseNote  for {@code trace_kalos.csv}: whether it is the released file ({@link ReleaseFiles}); else ""
     */
    public record Load(String name, AcmeTraceReader.Scan scan, String releaseNote) {
        public boolean durationIncludesQueueing() {
            return scan.durationIncludesQueueing();
        }
    }

    private final Connection connection;
    private Load current;

    private TraceDatabase(Connection connection) {
        this.connection = connection;
    }

    /** Opens an empty in-memory engine using {@code threads} worker threads (0 = DuckDB's default). */
    public static TraceDatabase inMemory(int threads) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        if (threads > 0) {
            try (Statement s = c.createStatement()) {
                s.execute("SET threads = " + threads);
            }
        }
        return new TraceDatabase(c);
    }

    /** The last successful load, or null. */
    public Load current() {
        return current;
    }

    /**
     * Checks and loads an AcmeTrace-schema CSV into {@code jobs}, replacing what was there.
     *
     * @throws TraceFormatException for a malformed file (with STOP: at its first bad row)
     */
    public Load load(Path csv, AcmeTraceReader.OnError onError, CancellationToken cancel)
            throws IOException, TraceFormatException, SQLException {
        // The engine reads the file into a staging table on a thread of ours while this thread checks every
        // row; the staging table replaces jobs only when the check passed.
        List<String> header = AcmeTraceReader.header(csv);
        SQLException[] ingestError = new SQLException[1];
        Thread reader = new Thread(() -> {
            try {
                ingest(csv, header, "jobs_staging");
            } catch (SQLException e) {
                ingestError[0] = e;
            }
        }, "trace-ingest");
        reader.setDaemon(true);
        reader.start();
        AcmeTraceReader.Scan scan;
        try {
            scan = AcmeTraceReader.scan(csv, onError, null, cancel);
        } finally {
            joinQuietly(reader);
        }
        if (scan.skippedRows() > 0) {
            Path cleaned = Files.createTempFile("trace-clean-", ".csv");
            try {
                AcmeTraceReader.writeWithoutSkipped(scan, cleaned);
                ingest(cleaned, header, "jobs_staging");
            } finally {
                Files.deleteIfExists(cleaned);
            }
        } else if (ingestError[0] != null) {
            throw ingestError[0];
        }
        cancel.throwIfCancelled();
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jobs");
            s.execute("ALTER TABLE jobs_staging RENAME TO jobs");
        }
        current = new Load(csv.getFileName().toString(), scan, ReleaseFiles.checkKalos(csv));
        return current;
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void ingest(Path csv, List<String> header, String table) throws SQLException {
        StringBuilder cols = new StringBuilder();
        for (String h : header) {
            if (cols.length() > 0) {
                cols.append(", ");
            }
            cols.append(literal(h)).append(": ").append(literal(sqlType(h)));
        }
                String failCol = header.contains("fail_time") ? epoch("fail_time") : "CAST(NULL AS BIGINT)";
        String sql = "CREATE OR REPLACE TABLE " + table + " AS "
                + "SELECT *, " + log2Bin("duration_s") + " AS duration_bin, " + log2Bin("runtime_s") + " AS runtime_bin, "
                + log2Bin("wait_s") + " AS wait_bin FROM (SELECT *, end_s - start_s AS runtime_s, "
                + "start_s - submit_s AS wait_s, gpu_num * (end_s - start_s) AS gpu_time_s, "
                + "gpu_num * duration_s AS gpu_seconds, gpu_num > 0 AS is_gpu, gpu_num = 0 AS is_cpu, "
                + "CASE WHEN state = 'COMPLETED' THEN 'complete' WHEN state = 'CANCELLED' THEN 'cancel' "
                + "WHEN state IN ('RUNNING', 'PENDING', 'UNKNOWN') THEN 'open' ELSE 'fail' END AS state_group "
                + "FROM (SELECT CAST(job_id AS VARCHAR) AS job_id, \"user\", node_num, gpu_num, cpu_num, type, state, "
                + epoch("submit_time") + " AS submit_s, "
                + epoch("start_time") + " AS start_s, "
                + epoch("end_time") + " AS end_s, "
                + failCol + " AS fail_s, "
                + "duration AS duration_s, queue AS queue_s, gpu_time AS gpu_time_col "
                + "FROM read_csv(" + literal(csv.toAbsolutePath().toString())
                + ", header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
                + "columns = {" + cols + "})))";
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** The log2 bin of a seconds column: 0 for ≤ 1 s, else ⌈log2 v⌉ capped at 2^22 (precomputed for the CDFs). */
    private static String log2Bin(String column) {
        return "CAST(CASE WHEN " + column + " IS NULL THEN NULL WHEN " + column + " <= 1 THEN 0 ELSE least("
                + TraceStatistics.MAX_LOG2_SECONDS + ", ceil(log2(" + column + "))) END AS TINYINT)";
    }

    /** UTC epoch seconds of a {@code yyyy-MM-dd HH:mm:ss±hh:mm} column (the offset is honoured). */
    private static String epoch(String column) {
        return "CAST(epoch(strptime(" + column + ", '%Y-%m-%d %H:%M:%S%z')) AS BIGINT)";
    }

    private static String sqlType(String column) {
        return switch (column) {
            case "node_num", "gpu_num", "cpu_num", "duration", "queue", "gpu_time", "mem_per_pod_GB",
                 "shared_mem_per_pod" -> "DOUBLE";
            default -> "VARCHAR";
        };
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Number of rows in {@code jobs}. */
    public long rowCount() throws SQLException {
        return scalarLong("SELECT count(*) FROM jobs");
    }

    long scalarLong(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * Runs any SQL (the console) and returns at most {@code maxRows} rows. Statements that return no
     * result give an empty table.
     */
    public ResultTable query(String sql, int maxRows) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!s.execute(sql)) {
                return new ResultTable(List.of("updated"), List.of(List.of((long) s.getUpdateCount())), false);
            }
            try (ResultSet r = s.getResultSet()) {
                ResultSetMetaData md = r.getMetaData();
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add(md.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                while (r.next()) {
                    if (rows.size() >= maxRows) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(cols.size());
                    for (int i = 1; i <= cols.size(); i++) {
                        row.add(plain(r.getObject(i)));
                    }
                    rows.add(row);
                }
                return new ResultTable(cols, rows, truncated);
            }
        }
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Double || v instanceof Long) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return v.toString();
    }

    /** The rows of {@code jobs} in file order as records (for small traces: tests, previews). */
    public List<JobRecord> jobs(int limit) throws SQLException {
        List<JobRecord> out = new ArrayList<>();
        String sql = "SELECT job_id, \"user\", node_num, gpu_num, cpu_num, type, state, submit_s, start_s, end_s, "
                + "fail_s, duration_s, queue_s, gpu_time_col FROM jobs LIMIT " + limit;
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(new JobRecord(r.getString(1), r.getString(2), dbl(r, 3), dbl(r, 4), dbl(r, 5),
                        r.getString(6), r.getString(7), lng(r, 8), lng(r, 9), lng(r, 10), lng(r, 11), dbl(r, 12),
                        dbl(r, 13), dbl(r, 14)));
            }
        }
        return out;
    }

    static double dbl(ResultSet r, int col) throws SQLException {
        double v = r.getDouble(col);
        return r.wasNull() ? Double.NaN : v;
    }

    private static long lng(ResultSet r, int col) throws SQLException {
        long v = r.getLong(col);
        return r.wasNull() ? JobRecord.NONE : v;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
