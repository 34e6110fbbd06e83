package org.mlsysworkbench.algorithms.trace;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * Strict reader of AcmeTrace-schema job CSVs (Seren, Kalos, generated). It checks every row before the
 * trace engine sees the file: the header (all 13 core columns, comma-separated), the field count, the
 * timestamps ({@code yyyy-MM-dd HH:mm:ss±hh:mm}, normalised to UTC), numbers, and time order (no negative
 * wait, runtime or duration). A bad row gives a {@link TraceFormatException} naming file, line and field;
 * the caller chooses to stop there or to skip such rows ({@link OnError}).
 *
 * <p>It also decides whether the {@code duration} column includes queueing (Kalos: {@code end − submit})
 * by comparing the column with both definitions on every closed row that queued. Stateless; thread-safe.
 */
public final class AcmeTraceReader {

    /** What to do with a malformed row. */
    public enum OnError { STOP, SKIP }

    /** Receives each valid row (only for small traces: tests, previews). */
    @FunctionalInterface
    public interface RowSink {
        void accept(JobRecord row);
    }

    /**
     * What a scan found.
     *
     * @param file                      the file read
     * @param header                    its column names
     * @param variant                   the recognised layout
     * @param rows                      valid job rows
     * @param errors                    malformed rows (at most {@link #MAX_REPORTED_ERRORS} kept)
     * @param skippedRows               number of malformed rows skipped (all of them, not only those kept)
     * @param durationIncludesQueueing  true when the duration column is {@code end − submit} (Kalos)
     * @param firstSubmitS              earliest submission, UTC epoch seconds
     * @param lastSubmitS               latest submission, UTC epoch seconds
     */
    public record Scan(Path file, List<String> header, TraceVariant variant, long rows,
                       List<TraceFormatException> errors, long skippedRows, boolean durationIncludesQueueing,
                       long firstSubmitS, long lastSubmitS) {
        public Scan {
            header = List.copyOf(header);
            errors = List.copyOf(errors);
        }

        /** The 1-based line numbers of the skipped rows that were kept in {@link #errors()}. */
        public long[] skippedLines() {
            return errors.stream().mapToLong(TraceFormatException::line).distinct().toArray();
        }
    }

    /** Malformed rows whose messages are kept in {@link Scan#errors()}. */
    public static final int MAX_REPORTED_ERRORS = 1000;

    private static final String TIMESTAMP = "yyyy-MM-dd HH:mm:ss±hh:mm";

    private AcmeTraceReader() {
    }

    /**
     * Reads and checks the whole file.
     *
     * @param sink receives every valid row; null to only check
     * @throws TraceFormatException at the first bad row with {@link OnError#STOP}, or for a bad header,
     *         an empty file or (with SKIP) too many bad rows to track
     */
    public static Scan scan(Path file, OnError onError, RowSink sink, CancellationToken cancel)
            throws IOException, TraceFormatException {
        String name = file.getFileName().toString();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new TraceFormatException(name, 1, "header",
                        "empty file; expected a header line starting 'job_id,user,...'");
            }
            headerLine = stripBom(headerLine).trim();
            List<String> header = Arrays.asList(headerLine.split(",", -1));
            checkHeader(name, headerLine, header);
            Columns c = new Columns(header);
            Parsed p = new Parsed();
            List<TraceFormatException> errors = new ArrayList<>();
            long rows = 0;
            long skipped = 0;
            long lineNo = 1;
            long votesIncl = 0;
            long votesExcl = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            Fields f = new Fields(header.size());
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if ((lineNo & 0xFFFF) == 0) {
                    cancel.throwIfCancelled();
                }
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    f.split(name, lineNo, line);
                    parseRow(name, lineNo, f, c, p);
                } catch (TraceFormatException e) {
                    if (onError == OnError.STOP) {
                        throw e;
                    }
                    skipped++;
                    if (errors.size() < MAX_REPORTED_ERRORS) {
                        errors.add(e);
                    }
                    continue;
                }
                rows++;
                first = Math.min(first, p.submit);
                last = Math.max(last, p.submit);
                if (p.end != JobRecord.NONE && p.start != JobRecord.NONE && p.start > p.submit
                        && !Double.isNaN(p.duration)) {
                    if (Math.abs(p.duration - (p.end - p.submit)) <= 1) {
                        votesIncl++;
                    } else if (Math.abs(p.duration - (p.end - p.start)) <= 1) {
                        votesExcl++;
                    }
                }
                if (sink != null) {
                    sink.accept(p.toRecord(f, c));
                }
            }
            if (rows == 0) {
                if (skipped > 0) {
                    throw new TraceFormatException(name, errors.get(0).line(), errors.get(0).field(),
                            "no valid job rows; first problem: " + errors.get(0).getMessage());
                }
                throw new TraceFormatException(name, 2, "row", "no job rows after the header");
            }
            if (skipped > MAX_REPORTED_ERRORS) {
                throw new TraceFormatException(name, errors.get(0).line(), errors.get(0).field(),
                        skipped + " malformed rows, more than " + MAX_REPORTED_ERRORS
                                + " can be skipped; first: " + errors.get(0).getMessage());
            }
            return new Scan(file, header, TraceVariant.of(header), rows, errors, skipped, votesIncl > votesExcl,
                    first, last);
        }
    }

    /**
     * The file's column names after the same header checks as {@link #scan}.
     *
     * @throws TraceFormatException for an empty file, a wrong delimiter, a missing or duplicate column
     */
    public static List<String> header(Path file) throws IOException, TraceFormatException {
        String name = file.getFileName().toString();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new TraceFormatException(name, 1, "header",
                        "empty file; expected a header line starting 'job_id,user,...'");
            }
            headerLine = stripBom(headerLine).trim();
            List<String> header = Arrays.asList(headerLine.split(",", -1));
            checkHeader(name, headerLine, header);
            return List.copyOf(header);
        }
    }

    /** Copies {@code scan.file()} without the skipped lines, so the engine reads only valid rows. */
    public static void writeWithoutSkipped(Scan scan, Path target) throws IOException {
        long[] bad = scan.skippedLines();
        Arrays.sort(bad);
        try (BufferedReader r = Files.newBufferedReader(scan.file(), StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    line = stripBom(line);
                }
                if (Arrays.binarySearch(bad, lineNo) < 0) {
                    w.write(line);
                    w.write('\n');
                }
            }
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static void checkHeader(String name, String headerLine, List<String> header)
            throws TraceFormatException {
        if (header.size() == 1) {
            for (char d : new char[] {';', '\t', '|'}) {
                if (headerLine.indexOf(d) >= 0) {
                    throw new TraceFormatException(name, 1, "header", "wrong delimiter: found '"
                            + (d == '\t' ? "\\t" : String.valueOf(d)) + "', expected ','");
                }
            }
        }
        for (String col : TraceVariant.CORE) {
            if (!header.contains(col)) {
                throw new TraceFormatException(name, 1, col, "missing column; expected the AcmeTrace columns "
                        + String.join(",", TraceVariant.CORE));
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.indexOf(header.get(i)) != i) {
                throw new TraceFormatException(name, 1, header.get(i), "duplicate column");
            }
        }
    }

    /**
     * The fields of the current line as offsets into it: no substring per field unless a caller asks for
     * the text (1M rows × 13 fields would otherwise allocate 13M strings).
     */
    private static final class Fields {
        final int[] from;
        final int[] to;
        String line;
        String[] quoted;

        Fields(int n) {
            from = new int[n];
            to = new int[n];
        }

        void split(String name, long lineNo, String text) throws TraceFormatException {
            line = text;
            quoted = null;
            int n = from.length;
            if (text.indexOf('"') >= 0) {
                quoted = splitQuoted(name, lineNo, text, n);
                return;
            }
            int field = 0;
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ',') {
                    if (field == n - 1) {
                        throw new TraceFormatException(name, lineNo, "row",
                                "expected " + n + " fields, found " + text.split(",", -1).length);
                    }
                    from[field] = start;
                    to[field] = i;
                    field++;
                    start = i + 1;
                }
            }
            if (field != n - 1) {
                String hint = text.indexOf(';') >= 0 || text.indexOf('\t') >= 0 ? " (wrong delimiter?)" : "";
                throw new TraceFormatException(name, lineNo, "row",
                        "expected " + n + " fields, found " + (field + 1) + hint);
            }
            from[field] = start;
            to[field] = text.length();
        }

        String text(int col) {
            return quoted != null ? quoted[col] : line.substring(from[col], to[col]);
        }

        int length(int col) {
            return quoted != null ? quoted[col].length() : to[col] - from[col];
        }

        boolean isBlank(int col) {
            if (quoted != null) {
                return quoted[col].isBlank();
            }
            for (int i = from[col]; i < to[col]; i++) {
                if (!Character.isWhitespace(line.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** A decimal of the form digits[.digits] parsed in place; NaN when it has any other form. */
        double simpleDecimal(int col) {
            if (quoted != null) {
                return Double.NaN;
            }
            int i = from[col];
            int end = to[col];
            if (i == end || end - i > 15) {
                return Double.NaN;
            }
            long whole = 0;
            while (i < end && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                whole = whole * 10 + (line.charAt(i) - '0');
                i++;
            }
            if (i == end) {
                return whole;
            }
            if (line.charAt(i) != '.' || i == from[col]) {
                return Double.NaN;
            }
            i++;
            long frac = 0;
            long scale = 1;
            int digits = 0;
            while (i < end && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                frac = frac * 10 + (line.charAt(i) - '0');
                scale *= 10;
                digits++;
                i++;
            }
            if (i != end || digits == 0) {
                return Double.NaN;
            }
            return frac == 0 ? whole : Double.parseDouble(line.substring(from[col], end));
        }

        long timestamp(int col) {
            if (quoted != null) {
                return parseUtcSeconds(quoted[col]);
            }
            return to[col] - from[col] == 25 ? parseUtcSeconds(line, from[col]) : JobRecord.NONE;
        }
    }

    private static String[] splitQuoted(String name, long lineNo, String line, int n) throws TraceFormatException {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (inQuotes) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    inQuotes = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                inQuotes = true;
            } else if (ch == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (inQuotes) {
            throw new TraceFormatException(name, lineNo, "row", "unterminated quote");
        }
        fields.add(cur.toString());
        if (fields.size() != n) {
            throw new TraceFormatException(name, lineNo, "row", "expected " + n + " fields, found " + fields.size());
        }
        return fields.toArray(new String[0]);
    }

    /** Column positions; -1 when absent. */
    private static final class Columns {
        final int jobId;
        final int user;
        final int nodeNum;
        final int gpuNum;
        final int cpuNum;
        final int type;
        final int state;
        final int submit;
        final int start;
        final int end;
        final int fail;
        final int stop;
        final int duration;
        final int queue;
        final int gpuTime;
        final List<String> header;

        Columns(List<String> h) {
            header = h;
            jobId = h.indexOf("job_id");
            user = h.indexOf("user");
            nodeNum = h.indexOf("node_num");
            gpuNum = h.indexOf("gpu_num");
            cpuNum = h.indexOf("cpu_num");
            type = h.indexOf("type");
            state = h.indexOf("state");
            submit = h.indexOf("submit_time");
            start = h.indexOf("start_time");
            end = h.indexOf("end_time");
            fail = h.indexOf("fail_time");
            stop = h.indexOf("stop_time");
            duration = h.indexOf("duration");
            queue = h.indexOf("queue");
            gpuTime = h.indexOf("gpu_time");
        }
    }

    /** The parsed values of the current row (reused: no allocation per row unless a sink wants records). */
    private static final class Parsed {
        double nodeNum;
        double gpuNum;
        double cpuNum;
        long submit;
        long start;
        long end;
        long fail;
        double duration;
        double queue;
        double gpuTime;

        JobRecord toRecord(Fields f, Columns c) {
            return new JobRecord(f.text(c.jobId), f.text(c.user), nodeNum, gpuNum, cpuNum, f.text(c.type),
                    f.text(c.state), submit, start, end, fail, duration, queue, gpuTime);
        }
    }

    private static void parseRow(String name, long lineNo, Fields f, Columns c, Parsed p)
            throws TraceFormatException {
        requireText(name, lineNo, f, c, c.jobId);
        requireText(name, lineNo, f, c, c.user);
        requireText(name, lineNo, f, c, c.type);
        requireText(name, lineNo, f, c, c.state);
        p.nodeNum = number(name, lineNo, f, c, c.nodeNum);
        p.gpuNum = number(name, lineNo, f, c, c.gpuNum);
        p.cpuNum = number(name, lineNo, f, c, c.cpuNum);
        p.submit = timestamp(name, lineNo, f, c, c.submit, true);
        p.start = timestamp(name, lineNo, f, c, c.start, false);
        p.end = timestamp(name, lineNo, f, c, c.end, false);
        p.fail = c.fail < 0 ? JobRecord.NONE : timestamp(name, lineNo, f, c, c.fail, false);
        if (c.stop >= 0) {
            timestamp(name, lineNo, f, c, c.stop, false);
        }
        p.duration = number(name, lineNo, f, c, c.duration);
        p.queue = number(name, lineNo, f, c, c.queue);
        p.gpuTime = number(name, lineNo, f, c, c.gpuTime);
        if (p.start == JobRecord.NONE && p.end != JobRecord.NONE) {
            throw new TraceFormatException(name, lineNo, "start_time", "missing although end_time is set");
        }
        if (p.start != JobRecord.NONE && p.start < p.submit) {
            throw new TraceFormatException(name, lineNo, "start_time",
                    "before submit_time (negative wait of " + (p.start - p.submit) + " s)");
        }
        if (p.end != JobRecord.NONE && p.end < p.start) {
            throw new TraceFormatException(name, lineNo, "end_time",
                    "before start_time (negative runtime of " + (p.end - p.start) + " s)");
        }
        if (p.end != JobRecord.NONE && Double.isNaN(p.duration)) {
            throw new TraceFormatException(name, lineNo, "duration", "missing although end_time is set");
        }
    }

    private static void requireText(String name, long lineNo, Fields f, Columns c, int col)
            throws TraceFormatException {
        if (f.isBlank(col)) {
            throw new TraceFormatException(name, lineNo, c.header.get(col), "expected a value, found an empty field");
        }
    }

    /** A non-negative decimal; empty gives NaN (missing). */
    private static double number(String name, long lineNo, Fields f, Columns c, int col)
            throws TraceFormatException {
        if (f.length(col) == 0) {
            return Double.NaN;
        }
        double fast = f.simpleDecimal(col);
        if (!Double.isNaN(fast)) {
            return fast;
        }
        String s = f.text(col);
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(name, lineNo, c.header.get(col), "expected a number, found '" + s + "'");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            String what = c.header.get(col).equals("duration") ? "negative duration " : "a negative or invalid value ";
            throw new TraceFormatException(name, lineNo, c.header.get(col),
                    what + "'" + s + "'; expected a finite number >= 0");
        }
        return v;
    }

    private static long timestamp(String name, long lineNo, Fields f, Columns c, int col, boolean required)
            throws TraceFormatException {
        if (f.length(col) == 0) {
            if (required) {
                throw new TraceFormatException(name, lineNo, c.header.get(col),
                        "expected " + TIMESTAMP + ", found an empty field");
            }
            return JobRecord.NONE;
        }
        long v = f.timestamp(col);
        if (v == JobRecord.NONE) {
            throw new TraceFormatException(name, lineNo, c.header.get(col),
                    "expected " + TIMESTAMP + ", found '" + f.text(col) + "'");
        }
        return v;
    }

    /**
     * Parses {@code yyyy-MM-dd HH:mm:ss±hh:mm} to UTC epoch seconds, or returns
     * {@link JobRecord#NONE} when the text is not such a timestamp. Hand-written: 3-5 per row, 1M rows.
     */
    public static long parseUtcSeconds(String s) {
        return s.length() == 25 ? parseUtcSeconds(s, 0) : JobRecord.NONE;
    }

    /** {@link #parseUtcSeconds(String)} of the 25 characters of {@code s} starting at {@code o}. */
    static long parseUtcSeconds(String s, int o) {
        if (s.length() < o + 25) {
            return JobRecord.NONE;
        }
        if (s.charAt(o + 4) != '-' || s.charAt(o + 7) != '-' || s.charAt(o + 10) != ' '
                || s.charAt(o + 13) != ':' || s.charAt(o + 16) != ':') {
            return JobRecord.NONE;
        }
        int year = digits(s, o, 4);
        int month = digits(s, o + 5, 2);
        int day = digits(s, o + 8, 2);
        int hour = digits(s, o + 11, 2);
        int minute = digits(s, o + 14, 2);
        int second = digits(s, o + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return JobRecord.NONE;
        }
        char sign = s.charAt(o + 19);
        int oh = digits(s, o + 20, 2);
        int om = digits(s, o + 23, 2);
        if ((sign != '+' && sign != '-') || s.charAt(o + 22) != ':' || oh < 0 || oh > 18 || om < 0 || om > 59) {
            return JobRecord.NONE;
        }
        int offsetS = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        return epochDay(year, month, day) * 86400L + hour * 3600L + minute * 60L + second - offsetS;
    }

    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long epochDay(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** Formats UTC epoch seconds as {@code yyyy-MM-dd HH:mm:ss±hh:mm} in the given offset. */
    public static String formatTimestamp(long utcSeconds, int offsetSeconds) {
        StringBuilder sb = new StringBuilder(25);
        appendTimestamp(sb, utcSeconds, offsetSeconds);
        return sb.toString();
    }

    /** Appends {@code yyyy-MM-dd HH:mm:ss±hh:mm} (the inverse of {@link #parseUtcSeconds}); allocation-free. */
    public static void appendTimestamp(StringBuilder sb, long utcSeconds, int offsetSeconds) {
        long local = utcSeconds + offsetSeconds;
        long days = Math.floorDiv(local, 86400L);
        long secs = Math.floorMod(local, 86400L);
        long z = days + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        int off = Math.abs(offsetSeconds);
        pad(sb, y, 4).append('-');
        pad(sb, m, 2).append('-');
        pad(sb, d, 2).append(' ');
        pad(sb, secs / 3600, 2).append(':');
        pad(sb, (secs / 60) % 60, 2).append(':');
        pad(sb, secs % 60, 2).append(offsetSeconds < 0 ? '-' : '+');
        pad(sb, off / 3600, 2).append(':');
        pad(sb, (off / 60) % 60, 2);
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        long p = 1;
        for (int i = 1; i < width; i++) {
            p *= 10;
        }
        for (; p > 0; p /= 10) {
            sb.append((char) ('0' + (v / p) % 10));
        }
        return sb;
    }
}
