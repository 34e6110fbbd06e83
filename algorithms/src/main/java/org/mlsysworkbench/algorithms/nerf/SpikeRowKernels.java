package org.mlsysworkbench.algorithms.nerf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-sample inner loops of the spiking colour network, in the reference's arithmetic order so that results are
 * bit-identical to {@link RayKernel}: the real-valued layer 1, the spike-driven row sums of layers 2 and 3, and one
 * LIF step with hard reset. {@link #get()} returns the Vector API version when the JVM has
 * {@code jdk.incubator.vector} (lane-wise the same operations in the same order), else the scalar one.
 * Implementations are stateless and thread-safe.
 */
interface SpikeRowKernels {

    /**
     * {@code out[j] = base[baseOff + j] + sum_c f[fOff + c] * w[wOff + c * n + j]} for c = 0..ch-1 in order (mul, then
     * add); {@code base == null} starts from 0.
     */
    void affine(float[] base, int baseOff, float[] f, int fOff, int ch, float[] w, int wOff, int n, float[] out);

    /** {@code out[j] = sum_s w[idx[s] * n + j]} over s = 0..count-1 in order, starting from 0. */
    void sumRows(float[] w, int n, int[] idx, int count, float[] out);

    /**
     * One LIF step: {@code vd = gap > 1 ? reset + (v - reset) decay : v}, {@code H = vd + (x - (vd - reset)) inv},
     * spike when {@code H >= th}, then {@code v = reset} (spike) or {@code H}. The spiking neurons go to
     * {@code fired} in increasing order. {@code x} may be overwritten (scratch).
     *
     * @return the number of spikes
     */
    int lif(float[] x, float[] v, int n, boolean gap, float decay, float inv, float reset, float th, int[] fired);

    /** The Vector API kernels when available (and not disabled by {@code -Dworkbench.noVectorApi=true}). */
    static SpikeRowKernels get() {
        return Holder.KERNELS;
    }

    /** Lazily picks the implementation once. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(SpikeRowKernels.class);
        static final SpikeRowKernels KERNELS = pick();

        private Holder() {
        }

        private static SpikeRowKernels pick() {
            if (!Boolean.getBoolean("workbench.noVectorApi")
                    && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    Class<?> cls = Class.forName("org.mlsysworkbench.algorithms.nerf.VectorSpikeRowKernels");
                    return (SpikeRowKernels) cls.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LOG.warn("Vector API spike kernels unavailable, using the scalar ones: {}", e.toString());
                }
            }
            return new Scalar();
        }
    }

    /** Plain loops (what the reference does). */
    final class Scalar implements SpikeRowKernels {
        @Override
        public void affine(float[] base, int baseOff, float[] f, int fOff, int ch, float[] w, int wOff, int n,
                           float[] out) {
            if (base == null) {
                java.util.Arrays.fill(out, 0, n, 0f);
            } else {
                System.arraycopy(base, baseOff, out, 0, n);
            }
            for (int c = 0; c < ch; c++) {
                float fc = f[fOff + c];
                int off = wOff + c * n;
                for (int j = 0; j < n; j++) {
                    out[j] += fc * w[off + j];
                }
            }
        }

        @Override
        public void sumRows(float[] w, int n, int[] idx, int count, float[] out) {
            java.util.Arrays.fill(out, 0, n, 0f);
            for (int s = 0; s < count; s++) {
                int off = idx[s] * n;
                for (int j = 0; j < n; j++) {
                    out[j] += w[off + j];
                }
            }
        }

        @Override
        public int lif(float[] x, float[] v, int n, boolean gap, float decay, float inv, float reset, float th,
                       int[] fired) {
            int k = 0;
            for (int j = 0; j < n; j++) {
                float vd = gap ? reset + (v[j] - reset) * decay : v[j];
                float hh = vd + (x[j] - (vd - reset)) * inv;
                if (hh >= th) {
                    fired[k++] = j;
                    v[j] = reset;
                } else {
                    v[j] = hh;
                }
            }
            return k;
        }
    }
}
