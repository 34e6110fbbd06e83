package org.mlsysworkbench.algorithms.graph.quant;

import java.util.List;

/**
 * A2Q's memory penalty, the force that pushes bitwidths down:
 * <pre>
 *   KB(b)  = sum over feature quantizers l of  hidden_l * sum_i |b_i^l| / 8 / 1024
 *   L_mem  = a_loss * ReLU(KB(b) - a_storage)^2
 *   dL_mem/db_i^l = 2 * a_loss * ReLU(KB - a_storage) * hidden_l * sign(b_i^l) / 8192
 * </pre>
 * Sanity check (spec sheet): Cora GCN, N = 2708, hidden 16, b = 4 gives KB = 21.2.
 */
public final class MemoryPenalty {

    private final double aLoss;
    private final double targetKb;

    /**
     * @param aLoss    penalty weight (Cora GCN: 2.5)
     * @param targetKb a_storage in KB (default 5)
     */
    public MemoryPenalty(double aLoss, double targetKb) {
        this.aLoss = aLoss;
        this.targetKb = targetKb;
    }

    /** Feature memory in KB of the given quantizers, counting |b| bits per value (not rounded). */
    public static double kilobytes(List<A2qQuantizer> quantizers) {
        double kb = 0;
        for (A2qQuantizer q : quantizers) {
            double sum = 0;
            for (float b : q.bits()) {
                sum += Math.abs(b);
            }
            kb += q.features() * sum / 8.0 / 1024.0;
        }
        return kb;
    }

    /** L_mem for the quantizers' current bits. */
    public double loss(List<A2qQuantizer> quantizers) {
        double over = Math.max(0, kilobytes(quantizers) - targetKb);
        return aLoss * over * over;
    }

    /** Adds dL_mem/db to {@code dBits.get(l)} for each quantizer l; returns L_mem. */
    public double backward(List<A2qQuantizer> quantizers, List<float[]> dBits) {
        double over = Math.max(0, kilobytes(quantizers) - targetKb);
        if (over > 0) {
            for (int l = 0; l < quantizers.size(); l++) {
                A2qQuantizer q = quantizers.get(l);
                float[] g = dBits.get(l);
                double scale = 2 * aLoss * over * q.features() / 8192.0;
                float[] b = q.bits();
                for (int i = 0; i < b.length; i++) {
                    g[i] += (float) (scale * Math.signum(b[i]));
                }
            }
        }
        return aLoss * over * over;
    }
}
