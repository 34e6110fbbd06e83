package org.mlsysworkbench.algorithms.graph.distributed;

import org.mlsysworkbench.algorithms.core.ConfigException;

/**
 * Settings of one simulated distributed training.
 *
 * @param layers      GCN layers (2 for Cora)
 * @param hidden      hidden width
 * @param messageBits bits per value of boundary messages: 1, 2, 4, 8, or 32 (FP32)
 * @param side        how each row's min and scale travel (bfloat16: 32 bits per row, fp32: 64)
 * @param staleness   S: boundary data and gradients may be up to S epochs old (0 = synchronous)
 * @param network     the simulated link
 */
public record DistributedSettings(int layers, int hidden, double lr, double weightDecay, double dropout,
                                  int messageBits, LowBitCodec.Side side, int staleness, NetworkModel network) {

    /** Kipf and Welling's Cora setting with one-bit messages, S = 1, a 10 Gb/s link. */
    public static DistributedSettings coraOneBit() {
        return new DistributedSettings(2, 16, 0.01, 5e-4, 0.5, 1, LowBitCodec.Side.BFLOAT16, 1,
                new NetworkModel(10, 5));
    }

    public DistributedSettings withBits(int bits) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, bits, side, staleness, network);
    }

    public DistributedSettings withStaleness(int s) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, dropout, messageBits, side, s, network);
    }

    public DistributedSettings withDropout(double d) {
        return new DistributedSettings(layers, hidden, lr, weightDecay, d, messageBits, side, staleness, network);
    }

    public DistributedSettings validate() {
        ConfigException.require(layers >= 1 && layers <= 8, "layers", "1..8, got " + layers);
        ConfigException.require(hidden >= 1 && hidden <= 4096, "hidden", "1..4096, got " + hidden);
        ConfigException.require(messageBits == 1 || messageBits == 2 || messageBits == 4 || messageBits == 8
                || messageBits == 32, "messageBits", "1, 2, 4, 8 or 32, got " + messageBits);
        ConfigException.require(staleness >= 0 && staleness <= 16, "staleness", "0..16 epochs, got " + staleness);
        ConfigException.require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1), got " + dropout);
        return this;
    }
}
