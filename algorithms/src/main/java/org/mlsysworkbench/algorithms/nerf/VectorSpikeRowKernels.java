package org.mlsysworkbench.algorithms.nerf;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpikeRowKernels} on the incubating Vector API: accumulators stay in registers across the rows (one pass
 * over the weights, no load/store of the output per row); lane-wise the same IEEE operations in the same order as
 * the scalar loops, hence bit-identical. Loaded reflectively only when the JVM has {@code jdk.incubator.vector}.
 */
final class VectorSpikeRowKernels implements SpikeRowKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final SpikeRowKernels SCALAR = new SpikeRowKernels.Scalar();

    @Override
    public void affine(float[] base, int baseOff, float[] f, int fOff, int ch, float[] w, int wOff, int n,
                       float[] out) {
        if (n % L != 0) {
            SCALAR.affine(base, baseOff, f, fOff, ch, w, wOff, n, out);
            return;
        }
        for (int j = 0; j < n; j += L) {
            FloatVector acc = base == null ? FloatVector.zero(S) : FloatVector.fromArray(S, base, baseOff + j);
            for (int c = 0; c < ch; c++) {
                acc = acc.add(FloatVector.fromArray(S, w, wOff + c * n + j).mul(f[fOff + c]));
            }
            acc.intoArray(out, j);
        }
    }

    @Override
    public void sumRows(float[] w, int n, int[] idx, int count, float[] out) {
        if (n % (2 * L) != 0) {
            SCALAR.sumRows(w, n, idx, count, out);
            return;
        }
        for (int j = 0; j < n; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (int s = 0; s < count; s++) {
                int off = idx[s] * n + j;
                a0 = a0.add(FloatVector.fromArray(S, w, off));
                a1 = a1.add(FloatVector.fromArray(S, w, off + L));
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j + L);
        }
    }

    @Override
    public int lif(float[] x, float[] v, int n, boolean gap, float decay, float inv, float reset, float th,
                   int[] fired) {
        if (n % L != 0 || L > 64) {
            return SCALAR.lif(x, v, n, gap, decay, inv, reset, th, fired);
        }
        int k = 0;
        for (int j = 0; j < n; j += L) {
            FloatVector vd = FloatVector.fromArray(S, v, j);
            if (gap) {
                vd = vd.sub(reset).mul(decay).add(reset);
            }
            FloatVector hh = vd.add(FloatVector.fromArray(S, x, j).sub(vd.sub(reset)).mul(inv));
            VectorMask<Float> spike = hh.compare(VectorOperators.GE, th);
            hh.blend(reset, spike).intoArray(v, j);
            hh.intoArray(x, j);
        }
        // branch-free compaction of the spiking indices (x now holds H; the caller's input is used up)
        for (int j = 0; j < n; j++) {
            fired[k] = j;
            k += x[j] >= th ? 1 : 0;
        }
        return k;
    }
}
