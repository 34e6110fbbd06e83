package org.mlsysworkbench.algorithms.cnnquant;

/**
 * Q-CNN's operation-count and storage model (spec sheet): for an FC layer, look-up inference costs
 * {@code C_s K + C_t M} operations against {@code C_s C_t} dense multiply-adds, and stores
 * {@code 32 C_s K + C_t M log2 K} bits against {@code 32 C_s C_t}; for a conv layer
 * {@code d_s^2 C_s K + d_t^2 d_k^2 C_t M} against {@code d_t^2 C_t d_k^2 C_s}, and
 * {@code 32 C_s K + C_t d_k^2 M log2 K} bits. Stateless.
 */
public final class LutCostModel {

    private LutCostModel() {
    }

    /**
     * Cost of one layer.
     *
     * @param denseOps  multiply-adds of the dense layer per image
     * @param lutOps    table-building multiply-adds plus look-up additions per image
     * @param denseBits bits of the float32 weights
     * @param pqBits    bits of codebooks (float32) plus codes
     */
    public record LayerCost(String layer, long denseOps, long lutOps, long denseBits, long pqBits) {

        /** Predicted speed-up, dense / look-up operations. */
        public double speedup() {
            return denseOps / (double) lutOps;
        }

        /** Compression of the weights, dense / PQ bits. */
        public double compression() {
            return denseBits / (double) pqBits;
        }
    }

    /** FC layer with C_s inputs, C_t outputs, M subspaces, K codewords. */
    public static LayerCost fc(String name, long cs, long ct, long m, long k) {
        return new LayerCost(name, cs * ct, cs * k + ct * m, 32 * cs * ct, 32 * cs * k + ct * m * log2(k));
    }

    /**
     * Conv layer: input spatial size d_s x d_s (locations {@code ds2}), output locations {@code dt2}, kernel
     * d_k x d_k, C_s input and C_t output channels.
     */
    public static LayerCost conv(String name, long ds2, long dt2, long dk, long cs, long ct, long m, long k) {
        return new LayerCost(name, dt2 * ct * dk * dk * cs, ds2 * cs * k + dt2 * dk * dk * ct * m,
                32 * cs * ct * dk * dk, 32 * cs * k + ct * dk * dk * m * log2(k));
    }

    /** The cost of a learned layer on the bench's CNN. */
    public static LayerCost of(String name, PqLayer q, int locations) {
        if (q.positions == 1) {
            return fc(name, q.channels, q.outputs, q.subspaces, q.codewords);
        }
        return conv(name, locations, locations, 3, q.channels, q.outputs, q.subspaces, q.codewords);
    }

    static long log2(long k) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(k - 1));
    }
}
