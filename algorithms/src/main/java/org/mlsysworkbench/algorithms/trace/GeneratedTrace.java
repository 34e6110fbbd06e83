package org.mlsysworkbench.algorithms.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * A synthetic trace in memory, columnar, ordered by submission; {@link #writeCsv} writes it in the
 * AcmeTrace schema of its cluster (Kalos layout, duration = end − submit, for the Kalos preset; the Seren
 * layout otherwise). Immutable once built.
 */
public final class GeneratedTrace {

    private static final String[] STATE_NAMES = {"COMPLETED", "CANCELLED", "FAILED", "UNKNOWN"};

    private final ClusterPreset preset;
    private final List<String> typeNames;
    private final byte[] type;
    private final double[] gpus;
    private final long[] submitS;
    private final double[] queueS;
    private final double[] durationS;
    private final byte[] state;
    private final int[] user;
    private final long[] idSeed;

    private GeneratedTrace(Builder b, long[] submitS, int[] user, long[] idSeed) {
        this.preset = b.preset;
        this.typeNames = List.copyOf(b.typeNames);
        this.type = b.type;
        this.gpus = b.gpus;
        this.queueS = b.queue;
        this.durationS = b.duration;
        this.state = b.state;
        this.submitS = submitS;
        this.user = user;
        this.idSeed = idSeed;
    }

    public ClusterPreset preset() {
        return preset;
    }

    /** Number of jobs. */
    public int size() {
        return type.length;
    }

    /** The duration column of job i, seconds (includes queueing for Kalos). */
    public double durationColumnS(int i) {
        return durationS[i];
    }

    /** GPUs of job i (0 for a CPU job, NaN for an unknown request). */
    public double gpus(int i) {
        return gpus[i];
    }

    /** The job type of job i. */
    public String type(int i) {
        return typeNames.get(type[i]);
    }

    /**
     * Writes the trace as CSV.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeCsv(Path file, CancellationToken cancel) throws IOException {
        boolean kalos = preset.durationIncludesQueueing();
        int offset = preset.utcOffsetSeconds();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", kalos ? TraceVariant.KALOS_COLUMNS : TraceVariant.CORE));
            w.write('\n');
            StringBuilder sb = new StringBuilder(256);
            for (int i = 0; i < size(); i++) {
                if ((i & 0xFFFF) == 0) {
                    cancel.throwIfCancelled();
                }
                sb.setLength(0);
                appendRow(sb, i, kalos, offset);
                w.append(sb);
            }
        }
    }

    private void appendRow(StringBuilder sb, int i, boolean kalos, int offset) {
        double g = gpus[i];
        boolean cpu = g == 0;
        long submit = submitS[i];
        long queue = (long) queueS[i];
        long dur = (long) durationS[i];
        long start = submit + queue;
        long end = kalos ? submit + dur : start + dur;
        String st = STATE_NAMES[state[i]];
        if (preset.stringJobIds()) {
            sb.append("dlc");
            long v = idSeed[i];
            for (int c = 0; c < 13; c++) {
                sb.append(Character.forDigit((int) Math.floorMod(v, 36L), 36));
                v = Long.divideUnsigned(v, 36);
            }
        } else {
            sb.append(idSeed[i]);
        }
        sb.append(",u");
        int uid = (user[i] * 40503) & 0xFFFF;
        for (int shift = 12; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((uid >> shift) & 0xF, 16));
        }
        int gpusInt = Double.isNaN(g) ? 1 : (int) Math.ceil(g);
        sb.append(',').append(cpu ? 1 : Math.max(1, (gpusInt + 7) / 8)).append(',');
        appendNumber(sb, g);
        sb.append(',').append(cpu ? 1 << (int) (idSeed[i] & 3) : Math.max(1, gpusInt * 16)).append(',');
        if (kalos) {
            sb.append(cpu ? 16 : gpusInt >= 8 ? 1000 : gpusInt * 125).append(',');
            if ((idSeed[i] & 63) == 0) {
                sb.append("100.0");
            }
            sb.append(',');
        }
        sb.append(typeNames.get(type[i])).append(',').append(st).append(',');
        AcmeTraceReader.appendTimestamp(sb, submit, offset);
        sb.append(',');
        AcmeTraceReader.appendTimestamp(sb, start, offset);
        sb.append(',');
        AcmeTraceReader.appendTimestamp(sb, end, offset);
        sb.append(',');
        if (kalos) {
            if (state[i] == 2) {
                AcmeTraceReader.appendTimestamp(sb, end, offset);
            }
            sb.append(',');
            if (state[i] == 1) {
                AcmeTraceReader.appendTimestamp(sb, end, offset);
            }
            sb.append(',');
        }
        sb.append(dur).append(',').append(queue);
        if (kalos) {
            sb.append(".0");
        }
        sb.append(',');
        if (g > 0) {
            appendDecimal(sb, g * dur);
        }
        sb.append('\n');
    }

    private static void appendNumber(StringBuilder sb, double v) {
        if (Double.isNaN(v)) {
            return;
        }
        if (v == Math.rint(v)) {
            sb.append((long) v);
        } else {
            sb.append(v);
        }
    }

    private static void appendDecimal(StringBuilder sb, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v).append(".0");
        } else {
            sb.append(v);
        }
    }

    /** Collects jobs, then draws submission times, users and ids and orders by submission. */
    static final class Builder {
        private final ClusterPreset preset;
        private final List<String> typeNames;
        private final byte[] type;
        private final double[] gpus;
        private final double[] duration;
        private final double[] queue;
        private final byte[] state;
        private int n;

        Builder(ClusterPreset preset, int size, List<String> typeNames) {
            this.preset = preset;
            this.typeNames = typeNames;
            type = new byte[size];
            gpus = new double[size];
            duration = new double[size];
            queue = new double[size];
            state = new byte[size];
        }

        void add(byte jobType, double jobGpus, double durationS, double queueS, byte jobState) {
            type[n] = jobType;
            gpus[n] = jobGpus;
            duration[n] = durationS;
            queue[n] = queueS;
            state[n] = jobState;
            n++;
        }

        GeneratedTrace finish(SplittableRandom rnd) {
            if (n != type.length) {
                throw new IllegalStateException("expected " + type.length + " jobs, got " + n);
            }
            long span = preset.spanDays() * 86400L;
            double[] u = Sampling.stratified(n, rnd);
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                key[i] = Math.floor(u[i] * span);
            }
            int[] order = Sampling.order(key, 0, span);
            permute(order);
            long[] submit = new long[n];
            for (int i = 0; i < n; i++) {
                submit[i] = preset.startEpochS() + (long) key[order[i]];
            }
            int[] users = zipfUsers(n, preset.users(), rnd);
            long[] ids = new long[n];
            long next = 5_778_432L;
            for (int i = 0; i < n; i++) {
                if (preset.stringJobIds()) {
                    ids[i] = rnd.nextLong();
                } else {
                    ids[i] = next;
                    next += 1 + rnd.nextInt(2);
                }
            }
            return new GeneratedTrace(this, submit, users, ids);
        }

        private void permute(int[] order) {
            byte[] t2 = new byte[n];
            double[] g2 = new double[n];
            double[] d2 = new double[n];
            double[] q2 = new double[n];
            byte[] s2 = new byte[n];
            for (int i = 0; i < n; i++) {
                int j = order[i];
                t2[i] = type[j];
                g2[i] = gpus[j];
                d2[i] = duration[j];
                q2[i] = queue[j];
                s2[i] = state[j];
            }
            System.arraycopy(t2, 0, type, 0, n);
            System.arraycopy(g2, 0, gpus, 0, n);
            System.arraycopy(d2, 0, duration, 0, n);
            System.arraycopy(q2, 0, queue, 0, n);
            System.arraycopy(s2, 0, state, 0, n);
        }

        private static int[] zipfUsers(int n, int users, SplittableRandom rnd) {
            double[] cum = new double[users];
            double run = 0;
            for (int k = 0; k < users; k++) {
                run += 1.0 / Math.pow(k + 1, 1.1);
                cum[k] = run;
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                double u = rnd.nextDouble() * run;
                int idx = java.util.Arrays.binarySearch(cum, u);
                out[i] = idx >= 0 ? idx : Math.min(users - 1, -idx - 1);
            }
            return out;
        }
    }
}
