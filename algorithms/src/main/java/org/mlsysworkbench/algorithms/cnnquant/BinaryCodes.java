package org.mlsysworkbench.algorithms.cnnquant;

/**
 * Binary weights of one layer: signs {@code B in {-1,+1}^[S][N]} and one scale per output channel,
 * effective weights {@code W_b[k][j] = alpha[j] * B[k][j]}.
 *
 * @param signs  +1 / -1 per weight, {@code [S][N]} row-major
 * @param alpha  one scale per output channel
 * @param errorHistory relative inner-product error {@code ||X^T W - X^T B A|| / ||X^T W||} after
 *                     initialisation and after each sweep (one entry for BWN)
 */
public record BinaryCodes(byte[] signs, float[] alpha, double[] errorHistory) {

    /** Effective weights {@code alpha[j] * B[k][j]}. */
    public float[] weights() {
        int n = alpha.length;
        float[] w = new float[signs.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = alpha[i % n] * signs[i];
        }
        return w;
    }

    /** Fraction of signs that differ from {@code sign(w)}. */
    public double flippedFraction(float[] w) {
        int flips = 0;
        for (int i = 0; i < w.length; i++) {
            if ((w[i] >= 0 ? 1 : -1) != signs[i]) {
                flips++;
            }
        }
        return flips / (double) w.length;
    }
}
