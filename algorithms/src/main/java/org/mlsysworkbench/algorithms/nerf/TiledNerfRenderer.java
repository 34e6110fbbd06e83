package org.mlsysworkbench.algorithms.nerf;

import java.util.Arrays;
import org.mlsysworkbench.algorithms.core.kernels.CpuGemm;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * The fast CPU renderer behind {@link CpuNerfRenderKernels}: the same image as the reference
 * {@link NerfRenderer} (ray by ray, sample by sample) within float rounding, computed tile by tile.
 *
 * <p>Per tile of {@value #TILE} x {@value #TILE} rays: every ray is marched exactly as in the reference (occupancy
 * mask, DVGO's colour thresholds, marching stops once {@code T <= colorThreshold}); the surviving samples of the
 * whole tile are gathered into matrices; the colour network runs on them as matrices:
 * <ul>
 *   <li>layer 1 is split into a feature part ({@code F W1[0:C]}, one GEMM per tile) and a view part
 *       ({@code enc(d) W1[C:C+27]}, once per ray);</li>
 *   <li>ANN: layer 2 is one GEMM per tile on {@link CpuGemm} (M x H x H), ReLU in place;</li>
 *   <li>SNN: the LIF recurrences run along each ray in time order, and layers 2 and 3 add only the weight rows of
 *       the inputs that spiked (spike-driven accumulates, {@code sum_{i: s_i = 1} W[i, :]}), in the reference's
 *       order, so spikes and colours agree bit for bit with the reference.</li>
 * </ul>
 * Scratch buffers live per thread and are reused from frame to frame; only the returned {@link NerfRenderer.Frame}
 * is allocated. ANN colours differ from the reference by float reassociation only (about 1e-6). Thread-safe.
 */
public final class TiledNerfRenderer {

    /** Tile side in pixels: 64 rays, about 1,000 shaded samples per GEMM on a surface scene. */
    static final int TILE = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private TiledNerfRenderer() {
    }

    /** Renders like {@link NerfRenderer#render}, on {@code par}'s workers. */
    public static NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] bg,
                                            EnergyModel energy, Parallel par) {
        float[] rgb = new float[w * h * 3];
        float[] depth = new float[w * h];
        float[] opacity = new float[w * h];
        int[] shaded = new int[w * h];
        float[] energyPj = new float[w * h];
        int tilesX = (w + TILE - 1) / TILE;
        int tilesY = (h + TILE - 1) / TILE;
        int tiles = tilesX * tilesY;
        long[] samples = new long[tiles];
        long[] surv = new long[tiles];
        double[] sp1 = new double[tiles];
        double[] sp2 = new double[tiles];
        ColorNet net = model.net;
        int inputs = net == null ? 0 : net.inputs();
        int hidden = net == null ? 0 : net.hidden;
        par.forEach(tiles, 1, (worker, from, to) -> {
            Scratch s = SCRATCH.get();
            for (int t = from; t < to; t++) {
                int x0 = (t % tilesX) * TILE;
                int y0 = (t / tilesX) * TILE;
                s.tile(model, pose, focal, w, h, x0, y0, Math.min(w, x0 + TILE), Math.min(h, y0 + TILE), bg, energy,
                        rgb, depth, opacity, shaded, energyPj);
                samples[t] = s.tileSamples;
                surv[t] = s.tileShaded;
                sp1[t] = s.tileSpikes1;
                sp2[t] = s.tileSpikes2;
            }
        });
        long totalSamples = 0;
        long totalSurv = 0;
        double s1 = 0;
        double s2 = 0;
        for (int t = 0; t < tiles; t++) {
            totalSamples += samples[t];
            totalSurv += surv[t];
            s1 += sp1[t];
            s2 += sp2[t];
        }
        return new NerfRenderer.Frame(w, h, rgb, depth, opacity, shaded, energyPj,
                new EnergyModel.OpCounts(totalSamples, totalSurv, s1, s2, inputs, hidden));
    }

    /** One thread's buffers, grown on demand and kept. */
    private static final class Scratch {
        private final RayKernel marcher = new RayKernel();
        private final float[] o = new float[3];
        private final float[] d = new float[3];
        private final float[] enc = new float[ColorNet.VIEW_WIDTH];
        private final float[] cornerWeight = new float[8];
        private final int[] cornerBase = new int[8];
        // per ray of the tile
        private final int[] rayStart = new int[TILE * TILE + 1];
        private final int[] rayPixel = new int[TILE * TILE];
        private final float[] rayTrans = new float[TILE * TILE];
        private final double[] raySpikes1 = new double[TILE * TILE];
        private final double[] raySpikes2 = new double[TILE * TILE];
        private float[] vbase = new float[0];
        // per shaded sample of the tile
        private int cap;
        private int[] step = new int[0];
        private float[] trans = new float[0];
        private float[] alpha = new float[0];
        private float[] tpos = new float[0];
        private float[] feat = new float[0];
        private float[] x1 = new float[0];
        private float[] x2 = new float[0];
        private float[] color = new float[0];
        // SNN state along one ray
        private float[] v1 = new float[0];
        private float[] v2 = new float[0];
        private float[] xs = new float[0];
        private int[] fired = new int[0];
        long tileSamples;
        long tileShaded;
        double tileSpikes1;
        double tileSpikes2;

        private void ensure(int samples, int ch, int hidden) {
            if (samples > cap || feat.length < samples * ch || x1.length < samples * hidden) {
                int c = Math.max(samples, Math.max(256, cap * 2));
                cap = c;
                // the samples gathered so far in this tile stay
                step = Arrays.copyOf(step, c);
                trans = Arrays.copyOf(trans, c);
                alpha = Arrays.copyOf(alpha, c);
                tpos = Arrays.copyOf(tpos, c);
                feat = Arrays.copyOf(feat, c * Math.max(ch, 1));
                x1 = new float[c * hidden];
                x2 = new float[c * hidden];
                color = new float[c * 3];
            }
        }

        private void ensureHidden(int hidden) {
            if (v1.length < hidden) {
                v1 = new float[hidden];
                v2 = new float[hidden];
                xs = new float[hidden];
                fired = new int[hidden];
                vbase = new float[TILE * TILE * hidden];
            }
        }

        void tile(NerfModel model, float[] pose, float focal, int w, int h, int x0, int y0, int x1e, int y1e,
                  float[] bg, EnergyModel energy, float[] rgbOut, float[] depthOut, float[] opacityOut,
                  int[] shadedOut, float[] energyOut) {
            ColorNet net = model.net;
            int ch = model.channels;
            int hid = net == null ? 0 : net.hidden;
            ensureHidden(Math.max(hid, 1));
            RayKernel k = marcher;
            SpikeRowKernels rows = SpikeRowKernels.get();
            int rays = 0;
            int m = 0;
            tileSamples = 0;
            for (int y = y0; y < y1e; y++) {
                for (int x = x0; x < x1e; x++) {
                    NerfViews.ray(pose, focal, w, h, x, y, o, d);
                    k.marchRay(model, o, d, 0.5f);
                    int p = y * w + x;
                    rayPixel[rays] = p;
                    rayStart[rays] = m;
                    rayTrans[rays] = k.transFinal;
                    tileSamples += k.n;
                    ensure(m + k.ns, ch, hid);
                    float depthMean = 0;
                    for (int q = 0; q < k.ns; q++) {
                        int i = k.surv[q];
                        gather(model, k.base[i], k.frac[3 * i], k.frac[3 * i + 1], k.frac[3 * i + 2], m * ch);
                        step[m] = k.step[i];
                        trans[m] = k.trans[i];
                        alpha[m] = k.alpha[i];
                        tpos[m] = k.tpos[i];
                        depthMean += k.trans[i] * k.alpha[i] * k.tpos[i];
                        m++;
                    }
                    depthOut[p] = depthMean;
                    opacityOut[p] = 1 - k.transFinal;
                    shadedOut[p] = k.ns;
                    if (net != null && k.ns > 0) {
                        ColorNet.encodeView(d[0], d[1], d[2], enc);
                        // ColorNet.viewBase, vectorised in the same order
                        rows.affine(null, 0, enc, 0, ColorNet.VIEW_WIDTH, net.w1, ch * hid, hid, xs);
                        System.arraycopy(xs, 0, vbase, rays * hid, hid);
                    }
                    rays++;
                }
            }
            rayStart[rays] = m;
            Arrays.fill(raySpikes1, 0, rays, 0);
            Arrays.fill(raySpikes2, 0, rays, 0);
            tileShaded = m;
            tileSpikes1 = 0;
            tileSpikes2 = 0;
            if (net == null) {
                for (int q = 0; q < m; q++) {
                    for (int c = 0; c < 3; c++) {
                        color[3 * q + c] = RayKernel.sigmoid(feat[q * ch + c]);
                    }
                }
            } else if (m > 0) {
                if (net.kind == ColorNet.Kind.ANN) {
                    shadeAnn(net, ch, rays, m);
                } else {
                    for (int r = 0; r < rays; r++) {
                        shadeSnnRay(net, ch, r);
                        tileSpikes1 += raySpikes1[r];
                        tileSpikes2 += raySpikes2[r];
                    }
                }
            }
            int inputs = net == null ? 0 : net.inputs();
            for (int r = 0; r < rays; r++) {
                int p = rayPixel[r];
                int a = rayStart[r];
                int b = rayStart[r + 1];
                for (int c = 0; c < 3; c++) {
                    double acc = rayTrans[r] * bg[c];
                    for (int q = a; q < b; q++) {
                        acc += (double) trans[q] * alpha[q] * color[3 * q + c];
                    }
                    rgbOut[3 * p + c] = (float) acc;
                }
                if (net != null) {
                    int ns = b - a;
                    double macs = (double) ns * inputs * hid;
                    energyOut[p] = (float) (net.kind == ColorNet.Kind.SNN
                            ? energy.macPj() * macs + energy.acPj() * (raySpikes1[r] * hid + raySpikes2[r] * 3)
                            : energy.macPj() * ns * ((double) inputs * hid + hid * hid + 3.0 * hid));
                }
            }
        }

        /**
         * {@link RayKernel#gatherFeature} channel by channel: per channel the same products summed in the same corner
         * order (corners of weight 0 skipped), so the features are bit-identical.
         */
        private void gather(NerfModel model, int b, float fx, float fy, float fz, int off) {
            int ch = model.channels;
            int nz = model.nz;
            int sxs = model.ny * nz;
            float[] f = model.features;
            for (int q = 0; q < 8; q++) {
                int dx = q >> 2;
                int dy = (q >> 1) & 1;
                int dz = q & 1;
                cornerWeight[q] = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
                cornerBase[q] = (b + dx * sxs + dy * nz + dz) * ch;
            }
            for (int c = 0; c < ch; c++) {
                float acc = 0;
                for (int q = 0; q < 8; q++) {
                    float wq = cornerWeight[q];
                    if (wq != 0f) {
                        acc += wq * f[cornerBase[q] + c];
                    }
                }
                feat[off + c] = acc;
            }
        }

        /** ANN on the whole tile: X1 = F W1f + viewBase(ray), ReLU; X2 = X1 W2, ReLU; logits X2 W3 (GEMMs); sigmoid. */
        private void shadeAnn(ColorNet net, int ch, int rays, int m) {
            int hid = net.hidden;
            CpuGemm.gemmSerial(m, hid, ch, feat, 0, ch, false, net.w1, 0, hid, false, x1, 0, hid, false);
            for (int r = 0; r < rays; r++) {
                int vb = r * hid;
                for (int q = rayStart[r]; q < rayStart[r + 1]; q++) {
                    int o = q * hid;
                    for (int j = 0; j < hid; j++) {
                        x1[o + j] = Math.max(x1[o + j] + vbase[vb + j], 0f);
                    }
                }
            }
            CpuGemm.gemmSerial(m, hid, hid, x1, 0, hid, false, net.w2, 0, hid, false, x2, 0, hid, false);
            for (int i = 0; i < m * hid; i++) {
                x2[i] = Math.max(x2[i], 0f);
            }
            // logits into x1 (free again): M x 3
            CpuGemm.gemmSerial(m, 3, hid, x2, 0, hid, false, net.w3, 0, 3, false, x1, 0, 3, false);
            for (int i = 0; i < 3 * m; i++) {
                color[i] = RayKernel.sigmoid(x1[i]);
            }
        }

        /**
         * SNN along ray {@code r}: sample k is time step k (condensing) or keeps its gap to the previous one
         * (padding); layer 1 is real-valued, layers 2 and 3 add the weight rows of spiking inputs only.
         */
        private void shadeSnnRay(ColorNet net, int ch, int r) {
            int hid = net.hidden;
            LifNeuron nrn = net.neuron;
            float reset = nrn.reset();
            Arrays.fill(v1, 0, hid, reset);
            Arrays.fill(v2, 0, hid, reset);
            float[] w1 = net.w1;
            float[] w2 = net.w2;
            float[] w3 = net.w3;
            boolean padding = net.packing == TemporalPacking.PADDING;
            SpikeRowKernels rows = SpikeRowKernels.get();
            float inv = 1f / nrn.tau();
            float th = nrn.threshold();
            int vb = r * hid;
            double spikes1 = 0;
            double spikes2 = 0;
            int prevStep = -1;
            for (int q = rayStart[r]; q < rayStart[r + 1]; q++) {
                int gap = padding && prevStep >= 0 ? step[q] - prevStep : 1;
                prevStep = step[q];
                float[] x = xs;
                rows.affine(vbase, vb, feat, q * ch, ch, w1, 0, hid, x);
                boolean gapped = gap > 1;
                float decay = gapped ? nrn.decayFactor(gap - 1) : 1f;
                int n1 = rows.lif(x, v1, hid, gapped, decay, inv, reset, th, fired);
                spikes1 += n1;
                rows.sumRows(w2, hid, fired, n1, x);
                int n2 = rows.lif(x, v2, hid, gapped, decay, inv, reset, th, fired);
                spikes2 += n2;
                float l0 = 0;
                float l1 = 0;
                float l2 = 0;
                for (int s = 0; s < n2; s++) {
                    int i = fired[s];
                    l0 += w3[3 * i];
                    l1 += w3[3 * i + 1];
                    l2 += w3[3 * i + 2];
                }
                color[3 * q] = RayKernel.sigmoid(l0);
                color[3 * q + 1] = RayKernel.sigmoid(l1);
                color[3 * q + 2] = RayKernel.sigmoid(l2);
            }
            raySpikes1[r] = spikes1;
            raySpikes2[r] = spikes2;
        }
    }
}
