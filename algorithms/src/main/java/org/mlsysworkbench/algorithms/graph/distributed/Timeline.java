package org.mlsysworkbench.algorithms.graph.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * The modelled per-worker schedule of one epoch, for the Gantt chart: the measured compute of each worker
 * and layer (thread CPU time) placed beside the modelled receive time of its messages, as
 * {@link EpochStats#epochMs(boolean, boolean)} adds them up. Forward phase l receives h[l] and then computes
 * layer l; backward phase l computes layer l and then sends the gradient of h[l].
 * <pre>
 *   synchronous:  every phase waits for the slowest worker: [compute] then [receive], each max over workers
 *   pipelined:    compute and receive of a phase overlap: phase length = max_p max(compute_p, receive_p)
 * </pre>
 * Stateless.
 */
public final class Timeline {

    /**
     * One bar.
     *
     * @param communication false: compute (measured duration); true: receive (modelled link time)
     */
    public record Bar(int worker, boolean communication, int direction, int layer, double startMs, double endMs) {
    }

    private Timeline() {
    }

    /** The bars of epoch {@code e}, pipelined or synchronous, with coded or FP32 messages. */
    public static List<Bar> modelled(EpochStats e, boolean pipelined, boolean fp32Messages) {
        List<Bar> bars = new ArrayList<>();
        double[][][] comm = fp32Messages ? e.commFp32Ms() : e.commMs();
        int layers = e.fwdCpuMs().length;
        int workers = e.workers();
        double t = 0;
        for (int phase = 0; phase < 2 * layers; phase++) {
            int dir = phase < layers ? 0 : 1;
            int l = dir == 0 ? phase : 2 * layers - 1 - phase;
            double[] cpu = dir == 0 ? e.fwdCpuMs()[l] : e.bwdCpuMs()[l];
            double[] rx = comm[dir][l];
            double maxCpu = 0;
            double maxComm = 0;
            double maxBoth = 0;
            for (int p = 0; p < workers; p++) {
                maxCpu = Math.max(maxCpu, cpu[p]);
                maxComm = Math.max(maxComm, rx[p]);
                maxBoth = Math.max(maxBoth, Math.max(cpu[p], rx[p]));
            }
            for (int p = 0; p < workers; p++) {
                if (pipelined) {
                    bars.add(new Bar(p, false, dir, l, t, t + cpu[p]));
                    if (rx[p] > 0) {
                        bars.add(new Bar(p, true, dir, l, t, t + rx[p]));
                    }
                } else if (dir == 0) {
                    if (rx[p] > 0) {
                        bars.add(new Bar(p, true, dir, l, t, t + rx[p]));
                    }
                    bars.add(new Bar(p, false, dir, l, t + maxComm, t + maxComm + cpu[p]));
                } else {
                    bars.add(new Bar(p, false, dir, l, t, t + cpu[p]));
                    if (rx[p] > 0) {
                        bars.add(new Bar(p, true, dir, l, t + maxCpu, t + maxCpu + rx[p]));
                    }
                }
            }
            t += pipelined ? maxBoth : maxCpu + maxComm;
        }
        return bars;
    }

    /** The end of the last bar: the modelled epoch time. */
    public static double length(List<Bar> bars) {
        return bars.stream().mapToDouble(Bar::endMs).max().orElse(0);
    }
}
