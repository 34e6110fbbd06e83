package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * One epoch of simulated distributed training.
 *
 * @param fwdBytes      bytes sent per layer in the forward exchange (as coded)
 * @param bwdBytes      bytes sent per layer in the backward exchange
 * @param fwdBytesFp32  the same rows in FP32, for the ratio
 * @param bwdBytesFp32  likewise backward
 * @param fwdCpuMs      measured compute per [layer][worker] (thread CPU time), forward
 * @param bwdCpuMs      likewise backward
 * @param commMs        modelled receive time per [fwd|bwd][layer][worker] for the coded messages
 * @param commFp32Ms    the same for FP32 messages
 * @param recvBytes     bytes received per [fwd|bwd][layer][worker] (coded)
 * @param recvBytesFp32 likewise in FP32
 * @param recvMessages  messages (peers with rows) received per [fwd|bwd][layer][worker]
 * @param staleness     the staleness bound the Bounded Staleness Adaptor applied this epoch
 * @param pipelined     whether workers overlapped inner-row compute with the exchange
 * @param stalls        times a worker found a needed message not yet arrived and blocked (timing-dependent)
 * @param wallMs        measured wall-clock time of the epoch in this process (timing-dependent)
 * @param spans         measured compute, wait, send and receive intervals, by start time (timing-dependent)
 * @param transfers     every message with its coded size and modelled link time
 */
public record EpochStats(int epoch, double loss, double valAcc, double testAcc, long[] fwdBytes, long[] bwdBytes,
                         long[] fwdBytesFp32, long[] bwdBytesFp32, double[][] fwdCpuMs, double[][] bwdCpuMs,
                         double[][][] commMs, double[][][] commFp32Ms, long[][][] recvBytes,
                         long[][][] recvBytesFp32, int[][][] recvMessages, int staleness, boolean pipelined,
                         int stalls, double wallMs, java.util.List<Span> spans, java.util.List<Transfer> transfers) {

    /**
     * One boundary message of the epoch.
     *
     * @param direction  0 forward (features of h[layer]), 1 backward (gradients of h[layer])
     * @param bytes      coded bytes on the wire (FP32 bytes when messages are not quantized)
     * @param modelledMs {@code latency + bytes * 8 / bandwidth} on the configured link
     */
    public record Transfer(int sender, int receiver, int direction, int layer, long bytes, double modelledMs) {
    }

    public int workers() {
        return fwdCpuMs.length == 0 ? 0 : fwdCpuMs[0].length;
    }

    /** The modelled epoch time on another link, from the bytes and message counts of this epoch. */
    public double epochMs(boolean pipelined, boolean fp32Messages, NetworkModel link) {
        double total = 0;
        long[][][] bytes = fp32Messages ? recvBytesFp32 : recvBytes;
        for (int dir = 0; dir < 2; dir++) {
            double[][] cpu = dir == 0 ? fwdCpuMs : bwdCpuMs;
            for (int l = 0; l < cpu.length; l++) {
                double maxCpu = 0;
                double maxComm = 0;
                double maxBoth = 0;
                for (int p = 0; p < cpu[l].length; p++) {
                    double c = cpu[l][p];
                    double m = bytes[dir][l][p] == 0 ? 0
                            : recvMessages[dir][l][p] * link.latencyUs() / 1000.0
                            + bytes[dir][l][p] * 8.0 / (link.bandwidthGbps() * 1e9) * 1000.0;
                    maxCpu = Math.max(maxCpu, c);
                    maxComm = Math.max(maxComm, m);
                    maxBoth = Math.max(maxBoth, Math.max(c, m));
                }
                total += pipelined ? maxBoth : maxCpu + maxComm;
            }
        }
        return total;
    }

    public long totalBytes() {
        long s = 0;
        for (long b : fwdBytes) {
            s += b;
        }
        for (long b : bwdBytes) {
            s += b;
        }
        return s;
    }

    public long totalBytesFp32() {
        long s = 0;
        for (long b : fwdBytesFp32) {
            s += b;
        }
        for (long b : bwdBytesFp32) {
            s += b;
        }
        return s;
    }

    /**
     * Modelled epoch time. Synchronous: every layer and direction waits for its slowest worker's compute
     * and then for its slowest receive, {@code sum_l [max_p compute + max_p comm]}. Pipelined (S >= 1):
     * transfers overlap computation, {@code sum_l max_p max(compute, comm)}.
     */
    public double epochMs(boolean pipelined, boolean fp32Messages) {
        double total = 0;
        double[][][] comm = fp32Messages ? commFp32Ms : commMs;
        for (int dir = 0; dir < 2; dir++) {
            double[][] cpu = dir == 0 ? fwdCpuMs : bwdCpuMs;
            for (int l = 0; l < cpu.length; l++) {
                double maxCpu = 0;
                double maxComm = 0;
                double maxBoth = 0;
                for (int p = 0; p < cpu[l].length; p++) {
                    double c = cpu[l][p];
                    double m = l < comm[dir].length ? comm[dir][l][p] : 0;
                    maxCpu = Math.max(maxCpu, c);
                    maxComm = Math.max(maxComm, m);
                    maxBoth = Math.max(maxBoth, Math.max(c, m));
                }
                total += pipelined ? maxBoth : maxCpu + maxComm;
            }
        }
        return total;
    }
}
