package org.mlsysworkbench.algorithms.nerf;

/**
 * Gradient accumulators of one chunk of rays: dense network gradients plus sparse per-sample grid gradient records
 * (the trainer scatters them into the grids in chunk order, so sums are deterministic). Not thread-safe; one per
 * chunk.
 */
final class NetGrads {
    float[] w1;
    float[] w2;
    float[] w3;
    double loss;
    int rays;

    // density records: base voxel, fractions, d raw
    int nd;
    int[] dBase = new int[1024];
    float[] dFrac = new float[3 * 1024];
    float[] dVal = new float[1024];

    // feature records: base voxel, fractions, d feature[channels]
    int nf;
    int[] fBase = new int[256];
    float[] fFrac = new float[3 * 256];
    float[] fVal;
    final int channels;

    NetGrads(ColorNet net, int channels) {
        this.channels = channels;
        if (net != null) {
            w1 = new float[net.w1.length];
            w2 = new float[net.w2.length];
            w3 = new float[net.w3.length];
        }
        fVal = new float[256 * channels];
    }

    void reset() {
        if (w1 != null) {
            java.util.Arrays.fill(w1, 0f);
            java.util.Arrays.fill(w2, 0f);
            java.util.Arrays.fill(w3, 0f);
        }
        nd = 0;
        nf = 0;
        loss = 0;
        rays = 0;
    }

    void addDensity(int base, float fx, float fy, float fz, float g) {
        if (nd == dBase.length) {
            dBase = java.util.Arrays.copyOf(dBase, nd * 2);
            dFrac = java.util.Arrays.copyOf(dFrac, nd * 6);
            dVal = java.util.Arrays.copyOf(dVal, nd * 2);
        }
        dBase[nd] = base;
        dFrac[3 * nd] = fx;
        dFrac[3 * nd + 1] = fy;
        dFrac[3 * nd + 2] = fz;
        dVal[nd] = g;
        nd++;
    }

    /** Returns the offset in {@link #fVal} where the caller writes {@code channels} values. */
    int addFeature(int base, float fx, float fy, float fz) {
        if (nf == fBase.length) {
            fBase = java.util.Arrays.copyOf(fBase, nf * 2);
            fFrac = java.util.Arrays.copyOf(fFrac, nf * 6);
            fVal = java.util.Arrays.copyOf(fVal, nf * 2 * channels);
        }
        fBase[nf] = base;
        fFrac[3 * nf] = fx;
        fFrac[3 * nf + 1] = fy;
        fFrac[3 * nf + 2] = fz;
        return nf++ * channels;
    }
}
