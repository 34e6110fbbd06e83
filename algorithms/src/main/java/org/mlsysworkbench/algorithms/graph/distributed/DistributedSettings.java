package org.mlsysworkbench.algorithms.graph.distributed;

import org.mlsysworkbench.algorithms.core.ConfigException;

/**
 * Settings of one simulated distributed training.
 *
 * @param layers       GCN layers (2 for Cora)
 * @param hidden       hidden width
 * @param messageBits  bits per value of boundary messages: 1, 2, 4, 8, or 32 (FP32)
 * @param side         how each row's min and range travel (bfloat16: 32 bits per row, fp32: 64)
 * @param staleness    S: boundary data and gradients may be up to S epochs old (0 = synchronous)
 * @param pipelined    workers compute inner rows while the boundary exchange is in flight, and finish
 *                     boundary rows after receipt (off: wait for every message, then compute)
 * @param warmupEpochs Bounded Staleness Adaptor: the first epochs run with S = 0 (synchronous warm-up)
 * @param lossRiseFallback Bounded Staleness Adaptor: after an epoch whose training loss rose, the next epoch
 *                     runs with S = 0 (error-triggered switch back to synchronous)
 * @param network      the simulated link
 */
public record DistributedSettings(int layers, int hidden, double lr, double weightDecay, double dropout,
                                  int messageBits, LowBitCodec.Side side, int staleness, boolean pipelined,
                                  int warmupEpochs, boolean lossRiseFallback, NetworkModel network) {

    /** Kipf and Welling's Cora setting with one-bit messages, S = 1, pipelined, a 10 Gb/s link. */
    public static DistributedSettings coraOneBit() {
        return new DistributedSettings(2, 16, 0.01, 5e-4, 0.5, 1, LowBitCodec.Side.BFLOAT16, 1, true, 0, false,
                new NetworkModel(10, 5));
    }

    public DistributedSettings withBits(int bits) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, bits, side, staleness, pipelined,
                warmupEpochs, lossRiseFallback, network);
    }

    public DistributedSettings withStaleness(int s) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, messageBits, side, s, pipelined,
                warmupEpochs, lossRiseFallback, network);
    }

    public DistributedSettings withPipelining(boolean on) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, messageBits, side, staleness, on,
                warmupEpochs, lossRiseFallback, network);
    }

    public DistributedSettings withAdaptor(int warmup, boolean lossRise) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, messageBits, side, staleness,
                pipelined, warmup, lossRise, network);
    }

    public DistributedSettings withDropout(double d) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, d, messageBits, side, staleness, pipelined,
                warmupEpochs, lossRiseFallback, network);
    }

    public DistributedSettings validate() {
        ConfigException.require(layers >= 1 && layers <= 8, "layers", "1..8, got " + layers);
        ConfigException.require(hidden >= 1 && hidden <= 4096, "hidden", "1..4096, got " + hidden);
        ConfigException.require(messageBits == 1 || messageBits == 2 || messageBits == 4 || messageBits == 8
                || messageBits == 32, "messageBits", "1, 2, 4, 8 or 32, got " + messageBits);
        ConfigException.require(staleness >= 0 && staleness <= 16, "staleness", "0..16 epochs, got " + staleness);
        ConfigException.require(warmupEpochs >= 0, "warmupEpochs", ">= 0, got " + warmupEpochs);
        ConfigException.require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1), got " + dropout);
        return this;
    }
}
