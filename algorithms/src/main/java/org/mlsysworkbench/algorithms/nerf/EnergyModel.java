package org.mlsysworkbench.algorithms.nerf;

/**
 * The SpikingNeRF operation and energy model of the colour network (spec sheet section 4). Energy is modelled
 * from operation counts and 45 nm constants (Horowitz, ISSCC 2014), not measured.
 *
 * <pre>
 *   MAC_SNN = M * in * H            (first layer: real-valued inputs; padded steps not counted)
 *   SOP     = spikes(LIF1) * H + spikes(LIF2) * 3
 *   E_SNN   = macPj * MAC_SNN + acPj * SOP
 *   E_ANN   = macPj * M * (in * H + H * H + H * 3)
 * </pre>
 *
 * With zero spikes and the 39-128-128-3 shape the reduction is {@code 1 - 4992 / 21760 = 77.06 %}.
 *
 * @param macPj energy of one 32-bit float multiply-accumulate in picojoules (4.6)
 * @param acPj  energy of one 32-bit float accumulate in picojoules (0.9)
 */
public record EnergyModel(double macPj, double acPj) {

    public static final EnergyModel HOROWITZ_45NM = new EnergyModel(4.6, 0.9);

    public EnergyModel {
        if (!(macPj > 0) || !(acPj >= 0)) {
            throw new IllegalArgumentException("energy constants: expected macPj > 0 and acPj >= 0");
        }
    }

    /**
     * Operation counts of the colour network over some rays.
     *
     * @param samples  samples marched inside the occupancy mask
     * @param shaded   M, samples that reach the colour network (after the alpha and weight thresholds)
     * @param spikes1  spikes emitted by LIF layer 1 (0 for the ANN)
     * @param spikes2  spikes emitted by LIF layer 2
     * @param inputs   network input width (39)
     * @param hidden   hidden width H (128)
     */
    public record OpCounts(long samples, long shaded, double spikes1, double spikes2, int inputs, int hidden) {

        public static OpCounts zero(int inputs, int hidden) {
            return new OpCounts(0, 0, 0, 0, inputs, hidden);
        }

        public OpCounts plus(OpCounts o) {
            return new OpCounts(samples + o.samples, shaded + o.shaded, spikes1 + o.spikes1, spikes2 + o.spikes2,
                    inputs, hidden);
        }

        /** First-layer MACs of the SNN: {@code M * in * H}. */
        public double snnMacs() {
            return (double) shaded * inputs * hidden;
        }

        /** Spike-driven accumulates: {@code spikes1 * H + spikes2 * 3}. */
        public double sops() {
            return spikes1 * hidden + spikes2 * 3;
        }

        /** MACs of the ANN of the same shape: {@code M * (in * H + H * H + 3 H)}. */
        public double annMacs() {
            return (double) shaded * ((double) inputs * hidden + (double) hidden * hidden + 3.0 * hidden);
        }

        /** Firing rate of LIF layer 1: spikes per neuron per time step. */
        public double firingRate1() {
            return shaded == 0 ? 0 : spikes1 / ((double) shaded * hidden);
        }

        public double firingRate2() {
            return shaded == 0 ? 0 : spikes2 / ((double) shaded * hidden);
        }
    }

    /** Modelled SNN colour-network energy in picojoules. */
    public double snnPj(OpCounts ops) {
        return macPj * ops.snnMacs() + acPj * ops.sops();
    }

    /** Modelled ANN colour-network energy in picojoules for the same shaded samples. */
    public double annPj(OpCounts ops) {
        return macPj * ops.annMacs();
    }

    /** {@code 1 - E_SNN / E_ANN}, or 0 when nothing was shaded. */
    public double reduction(OpCounts ops) {
        double ann = annPj(ops);
        return ann == 0 ? 0 : 1 - snnPj(ops) / ann;
    }

    /** The reduction with no spikes at all: {@code 1 - macPj in H / (macPj (in H + H H + 3 H))}. */
    public double ceiling(int inputs, int hidden) {
        return 1 - (double) inputs / (inputs + hidden + 3.0);
    }
}
