package org.mlsysworkbench.algorithms.graph.distributed;

import java.util.List;
import org.mlsysworkbench.algorithms.graph.partition.PartitionLayout;

/**
 * What the distributed-training bench found.
 *
 * @param partition   partition of the accuracy graph: assignment, edge cut, balance, halo sizes
 * @param variants    FP32 synchronous and the coded variants, each with curves and bytes
 * @param scale       the time study on the generated graph, one row per worker count
 * @param bandwidth   modelled speedup vs link bandwidth (largest worker count of the time study, or the
 *                    accuracy graph when there is none)
 * @param formula     the time model as shown in the inspector
 * @param layout      a sample of the accuracy graph laid out, coloured by part, boundary nodes marked
 * @param scaleEpoch  the last epoch of the time study's largest worker count (null without a time study)
 */
public record SylvieResult(String dataset, int nodes, PartitionInfo partition, List<Variant> variants,
                           List<ScaleRow> scale, List<BandwidthPoint> bandwidth, String formula,
                           PartitionLayout layout, EpochStats scaleEpoch) {

    /** The partition used. */
    public record PartitionInfo(int parts, int[] assignment, long edgeCut, long edges, double balance,
                                int[] haloSizes) {
    }

    /**
     * One training variant.
     *
     * @param accuracy      mean val-selected test accuracy over seeds
     * @param bytesPerEpoch coded bytes exchanged per epoch (forward + backward)
     * @param fp32BytesPerEpoch the same rows in FP32
     * @param lastEpoch     the first seed's last epoch, for the Gantt chart and per-layer bytes
     */
    public record Variant(String name, int bits, int staleness, boolean pipelined, double accuracy, double accuracySd,
                          long bytesPerEpoch, long fp32BytesPerEpoch, double[] loss, double[] valAcc,
                          EpochStats lastEpoch) {

        public double compression() {
            return bytesPerEpoch == 0 ? 1 : (double) fp32BytesPerEpoch / bytesPerEpoch;
        }
    }

    /**
     * One worker count of the time study: modelled epoch times from measured compute and counted bytes.
     *
     * @param epoch the measured epoch the times come from (to re-model it on another link)
     */
    public record ScaleRow(int parts, long edgeCut, long bytesPerEpoch, long fp32BytesPerEpoch, double fp32SyncMs,
                           double codedSyncMs, double codedPipelinedMs, EpochStats epoch) {

        /** The speedup of 1-bit + pipelining over FP32 synchronous on another link, at the same compute. */
        public double speedupOn(NetworkModel link) {
            return epoch.epochMs(false, true, link) / epoch.epochMs(true, false, link);
        }

        /** 1-bit + pipelining over FP32 synchronous. */
        public double speedup() {
            return fp32SyncMs / codedPipelinedMs;
        }
    }

    /** Modelled speedup at one bandwidth. */
    public record BandwidthPoint(double gbps, double fp32SyncMs, double codedPipelinedMs) {
    }

    public SylvieResult {
        variants = List.copyOf(variants);
        scale = List.copyOf(scale);
        bandwidth = List.copyOf(bandwidth);
    }
}
