package org.mlsysworkbench.algorithms.nerf;

import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * The fused per-ray forward and backward pass of the voxel NeRF: ray marching through the occupancy mask,
 * trilinear density and features, alpha with cumulative-product transmittance, DVGO's colour thresholds, the
 * colour network (ANN per sample, or SNN with the k-th surviving sample at time step k) and compositing on a
 * background colour. One instance per worker thread (scratch arrays); not thread-safe.
 *
 * <p>Compositing: {@code w_i = T_i alpha_i}, {@code T_i = prod_{j<i} (1 - alpha_j)}, {@code C = sum w_i c_i + T_N bg};
 * marching stops once {@code T} falls to the colour threshold. Backward, with {@code s_i = -log(1 - alpha_i)}:
 * {@code dC/ds_i = T_{i+1} c_i - (sum_{k>i} w_k c_k + T_N bg)}.
 */
final class RayKernel {

    /** Test hook: spikes {@code S = sigmoid(alpha x)} instead of the Heaviside, so finite differences apply. */
    boolean smoothSpikes;
    /** Test hook: keep the reset path in the gradient (SpikingJelly detach_reset=False). */
    boolean attachedReset;

    private NerfModel m;
    // marched samples
    int n;
    private int cap;
    int[] step;
    int[] base;
    float[] frac;
    float[] raw;
    float[] depth;
    float[] alpha;
    float[] trans;
    float[] tpos;
    float transFinal;
    // survivors
    int ns;
    int[] surv;
    int[] gap;
    float[] feat;
    float[] rgb;
    float[] h1;
    float[] s1;
    float[] h2;
    float[] s2;
    final float[] color = new float[3];
    double spikes1;
    double spikes2;
    float depthMean;
    private int scap;
    private final float[] enc = new float[ColorNet.VIEW_WIDTH];
    private float[] vbase = new float[0];
    private float[] v1 = new float[0];
    private float[] v2 = new float[0];
    private float[] tmp = new float[0];
    private float[] dx1 = new float[0];
    private float[] dx2 = new float[0];
    private float[] dv1 = new float[0];
    private float[] dv2 = new float[0];
    private float[] dvsum = new float[0];
    private float[] dcol = new float[0];
    private float[] ds = new float[0];

    RayKernel() {
        growSamples(256);
    }

    private void growSamples(int c) {
        cap = c;
        step = new int[c];
        base = new int[c];
        frac = new float[3 * c];
        raw = new float[c];
        depth = new float[c];
        alpha = new float[c];
        trans = new float[c + 1];
        tpos = new float[c];
        ds = new float[c];
        surv = new int[c];
    }

    private void ensureSamples(int k) {
        if (k >= cap) {
            int c = cap * 2;
            step = java.util.Arrays.copyOf(step, c);
            base = java.util.Arrays.copyOf(base, c);
            frac = java.util.Arrays.copyOf(frac, 3 * c);
            raw = java.util.Arrays.copyOf(raw, c);
            depth = java.util.Arrays.copyOf(depth, c);
            alpha = java.util.Arrays.copyOf(alpha, c);
            trans = java.util.Arrays.copyOf(trans, c + 1);
            tpos = java.util.Arrays.copyOf(tpos, c);
            ds = new float[c];
            surv = java.util.Arrays.copyOf(surv, c);
            cap = c;
        }
    }

    private void ensureSurvivors(int k, int width, int ch) {
        if (k > scap || feat == null || (h1 != null && h1.length < k * width) || feat.length < k * ch) {
            int c = Math.max(k, Math.max(64, scap * 2));
            scap = c;
            gap = new int[c];
            feat = new float[c * ch];
            rgb = new float[c * 3];
            h1 = new float[c * width];
            s1 = new float[c * width];
            h2 = new float[c * width];
            s2 = new float[c * width];
        }
        if (vbase.length < width) {
            vbase = new float[width];
            v1 = new float[width];
            v2 = new float[width];
            tmp = new float[width];
            dx1 = new float[width];
            dx2 = new float[width];
            dv1 = new float[width];
            dv2 = new float[width];
            dvsum = new float[width];
        }
    }

    /**
     * Renders one ray; the result is in {@link #color}, the per-sample state stays for {@link #backward}.
     *
     * @param jitter offset of the first sample in steps, in [0, 1) (0.5 for inference)
     */
    void forward(NerfModel model, float[] o, float[] d, float jitter, float[] bg) {
        marchRay(model, o, d, jitter);
        shade(model, d);
        for (int c = 0; c < 3; c++) {
            double acc = transFinal * bg[c];
            for (int k = 0; k < ns; k++) {
                int i = surv[k];
                acc += (double) trans[i] * alpha[i] * rgb[3 * k + c];
            }
            color[c] = (float) acc;
        }
    }

    /**
     * Marches one ray only (box clip, occupancy mask, density, alpha, transmittance, colour thresholds): fills the
     * marched samples and the survivor list {@link #surv}, {@link #ns}, {@link #transFinal}; shades nothing.
     */
    void marchRay(NerfModel model, float[] o, float[] d, float jitter) {
        this.m = model;
        n = 0;
        ns = 0;
        spikes1 = 0;
        spikes2 = 0;
        color[0] = 0;
        color[1] = 0;
        color[2] = 0;
        transFinal = 1;
        depthMean = 0;
        float t0 = model.near;
        float t1 = model.far;
        for (int a = 0; a < 3; a++) {
            float inv = 1f / (Math.abs(d[a]) < 1e-12f ? 1e-12f : d[a]);
            float ta = (model.boxMin[a] - o[a]) * inv;
            float tb = (model.boxMax[a] - o[a]) * inv;
            t0 = Math.max(t0, Math.min(ta, tb));
            t1 = Math.min(t1, Math.max(ta, tb));
        }
        if (t0 < t1) {
            march(model, o, d, t0, t1, jitter);
        }
    }

    private void march(NerfModel model, float[] o, float[] d, float t0, float t1, float jitter) {
        float stepLen = model.stepSize();
        float interval = stepLen / model.densityUnit;
        float thr = model.colorThreshold;
        int nx = model.nx;
        int ny = model.ny;
        int nz = model.nz;
        float sx = (nx - 1) / (model.boxMax[0] - model.boxMin[0]);
        float sy = (ny - 1) / (model.boxMax[1] - model.boxMin[1]);
        float sz = (nz - 1) / (model.boxMax[2] - model.boxMin[2]);
        int strideX = ny * nz;
        float[] dens = model.density;
        boolean[] mask = model.mask;
        float tr = 1;
        int steps = (int) Math.ceil((t1 - t0) / stepLen - jitter);
        for (int k = 0; k < steps; k++) {
            float t = t0 + (k + jitter) * stepLen;
            if (t >= t1) {
                break;
            }
            float gx = clampGrid((o[0] + t * d[0] - model.boxMin[0]) * sx, nx - 1);
            float gy = clampGrid((o[1] + t * d[1] - model.boxMin[1]) * sy, ny - 1);
            float gz = clampGrid((o[2] + t * d[2] - model.boxMin[2]) * sz, nz - 1);
            int mx = (int) (gx + 0.5f);
            int my = (int) (gy + 0.5f);
            int mz = (int) (gz + 0.5f);
            if (!mask[(mx * ny + my) * nz + mz]) {
                continue;
            }
            int ix = Math.min((int) gx, nx - 2);
            int iy = Math.min((int) gy, ny - 2);
            int iz = Math.min((int) gz, nz - 2);
            float fx = gx - ix;
            float fy = gy - iy;
            float fz = gz - iz;
            int b = (ix * ny + iy) * nz + iz;
            float c00 = dens[b] * (1 - fz) + dens[b + 1] * fz;
            float c01 = dens[b + nz] * (1 - fz) + dens[b + nz + 1] * fz;
            float c10 = dens[b + strideX] * (1 - fz) + dens[b + strideX + 1] * fz;
            float c11 = dens[b + strideX + nz] * (1 - fz) + dens[b + strideX + nz + 1] * fz;
            float r = (c00 * (1 - fy) + c01 * fy) * (1 - fx) + (c10 * (1 - fy) + c11 * fy) * fx;
            double sp = NerfModel.softplus(r + model.shift) * interval;
            float a = (float) -Math.expm1(-sp);
            ensureSamples(n + 1);
            step[n] = k;
            base[n] = b;
            frac[3 * n] = fx;
            frac[3 * n + 1] = fy;
            frac[3 * n + 2] = fz;
            raw[n] = r;
            depth[n] = (float) sp;
            alpha[n] = a;
            trans[n] = tr;
            tpos[n] = t;
            if (a > thr && tr * a > thr) {
                surv[ns++] = n;
            }
            tr *= (float) Math.exp(-sp);
            n++;
            if (tr <= thr) {
                break;
            }
        }
        trans[n] = tr;
        transFinal = tr;
    }

    private static float clampGrid(float g, int max) {
        return g < 0 ? 0 : g > max ? max : g;
    }

    private void shade(NerfModel model, float[] d) {
        ColorNet net = model.net;
        int ch = model.channels;
        int width = net == null ? 0 : net.hidden;
        ensureSurvivors(ns, width, ch);
        for (int k = 0; k < ns; k++) {
            int i = surv[k];
            gatherFeature(model, base[i], frac[3 * i], frac[3 * i + 1], frac[3 * i + 2], feat, k * ch);
            depthMean += trans[i] * alpha[i] * tpos[i];
        }
        if (net == null) {
            for (int k = 0; k < ns; k++) {
                for (int c = 0; c < 3; c++) {
                    rgb[3 * k + c] = sigmoid(feat[k * ch + c]);
                }
            }
            return;
        }
        if (ns == 0) {
            return;
        }
        ColorNet.encodeView(d[0], d[1], d[2], enc);
        net.viewBase(enc, vbase);
        int h = net.hidden;
        if (net.kind == ColorNet.Kind.SNN) {
            java.util.Arrays.fill(v1, 0, h, net.neuron.reset());
            java.util.Arrays.fill(v2, 0, h, net.neuron.reset());
        }
        int prevStep = -1;
        for (int k = 0; k < ns; k++) {
            int st = step[surv[k]];
            gap[k] = net.packing == TemporalPacking.PADDING && prevStep >= 0 ? st - prevStep : 1;
            prevStep = st;
            forwardSample(net, k, ch);
        }
    }

    private void forwardSample(ColorNet net, int k, int ch) {
        int h = net.hidden;
        float[] x = tmp;
        System.arraycopy(vbase, 0, x, 0, h);
        float[] w1 = net.w1;
        for (int c = 0; c < ch; c++) {
            float f = feat[k * ch + c];
            int off = c * h;
            for (int j = 0; j < h; j++) {
                x[j] += f * w1[off + j];
            }
        }
        int o = k * h;
        if (net.kind == ColorNet.Kind.ANN) {
            for (int j = 0; j < h; j++) {
                h1[o + j] = x[j];
                s1[o + j] = x[j] > 0 ? x[j] : 0;
            }
        } else {
            lif(net.neuron, gap[k], x, v1, h1, s1, o, h);
        }
        java.util.Arrays.fill(x, 0, h, 0f);
        float[] w2 = net.w2;
        for (int i = 0; i < h; i++) {
            float a = s1[o + i];
            if (a != 0f) {
                int off = i * h;
                for (int j = 0; j < h; j++) {
                    x[j] += a * w2[off + j];
                }
            }
        }
        if (net.kind == ColorNet.Kind.ANN) {
            for (int j = 0; j < h; j++) {
                h2[o + j] = x[j];
                s2[o + j] = x[j] > 0 ? x[j] : 0;
            }
        } else {
            lif(net.neuron, gap[k], x, v2, h2, s2, o, h);
        }
        float l0 = 0;
        float l1 = 0;
        float l2 = 0;
        float[] w3 = net.w3;
        for (int i = 0; i < h; i++) {
            float a = s2[o + i];
            if (a != 0f) {
                l0 += a * w3[3 * i];
                l1 += a * w3[3 * i + 1];
                l2 += a * w3[3 * i + 2];
            }
        }
        rgb[3 * k] = sigmoid(l0);
        rgb[3 * k + 1] = sigmoid(l1);
        rgb[3 * k + 2] = sigmoid(l2);
        if (net.kind == ColorNet.Kind.SNN) {
            for (int j = 0; j < h; j++) {
                spikes1 += s1[o + j];
                spikes2 += s2[o + j];
            }
        }
    }

    private void lif(LifNeuron nrn, int g, float[] x, float[] v, float[] hs, float[] ss, int o, int h) {
        float inv = 1f / nrn.tau();
        float reset = nrn.reset();
        float decay = g > 1 ? nrn.decayFactor(g - 1) : 1f;
        float th = nrn.threshold();
        for (int j = 0; j < h; j++) {
            float vd = g > 1 ? reset + (v[j] - reset) * decay : v[j];
            float hh = vd + (x[j] - (vd - reset)) * inv;
            float s = smoothSpikes ? sigmoid(nrn.surrogateAlpha() * (hh - th)) : (hh >= th ? 1f : 0f);
            hs[o + j] = hh;
            ss[o + j] = s;
            v[j] = hh * (1 - s) + reset * s;
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static void gatherFeature(NerfModel model, int b, float fx, float fy, float fz, float[] out, int off) {
        int ch = model.channels;
        int nz = model.nz;
        int sxs = model.ny * nz;
        float[] f = model.features;
        for (int c = 0; c < ch; c++) {
            out[off + c] = 0;
        }
        for (int k = 0; k < 8; k++) {
            int dx = k >> 2;
            int dy = (k >> 1) & 1;
            int dz = k & 1;
            float w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
            if (w == 0f) {
                continue;
            }
            int v = (b + dx * sxs + dy * nz + dz) * ch;
            for (int c = 0; c < ch; c++) {
                out[off + c] += w * f[v + c];
            }
        }
    }

    /**
     * Back-propagates {@code dC} (gradient of the loss wrt the composited colour) through this ray, adding network
     * gradients to {@code g} and recording grid gradients.
     */
    void backward(float[] dC, float[] bg, NetGrads g) {
        NerfModel model = m;
        ColorNet net = model.net;
        int ch = model.channels;
        if (dcol.length < 3 * ns) {
            dcol = new float[Math.max(3 * ns, 64)];
        }
        // dL/drgb_k = dC * w_k
        for (int k = 0; k < ns; k++) {
            int i = surv[k];
            float w = trans[i] * alpha[i];
            for (int c = 0; c < 3; c++) {
                dcol[3 * k + c] = dC[c] * w;
            }
        }
        // dL/ds_i = T_{i+1} (dC . c_i) - dC . S_i, S_i = sum_{k>i} w_k c_k + T_N bg; c_i = 0 for non-survivors
        double suffix = transFinal * (dC[0] * bg[0] + dC[1] * bg[1] + dC[2] * bg[2]);
        int k = ns - 1;
        for (int i = n - 1; i >= 0; i--) {
            double own = 0;
            if (k >= 0 && surv[k] == i) {
                own = dC[0] * rgb[3 * k] + dC[1] * rgb[3 * k + 1] + dC[2] * rgb[3 * k + 2];
                k--;
            }
            ds[i] = (float) (trans[i + 1] * own - suffix);
            suffix += trans[i] * alpha[i] * own;
        }
        float interval = model.stepSize() / model.densityUnit;
        for (int i = 0; i < n; i++) {
            float sg = sigmoid(raw[i] + model.shift);
            float draw = ds[i] * sg * interval;
            if (draw != 0f) {
                g.addDensity(base[i], frac[3 * i], frac[3 * i + 1], frac[3 * i + 2], draw);
            }
        }
        if (ns == 0) {
            return;
        }
        if (net == null) {
            for (int q = 0; q < ns; q++) {
                int i = surv[q];
                int off = g.addFeature(base[i], frac[3 * i], frac[3 * i + 1], frac[3 * i + 2]);
                for (int c = 0; c < 3; c++) {
                    float r = rgb[3 * q + c];
                    g.fVal[off + c] = dcol[3 * q + c] * r * (1 - r);
                }
            }
            return;
        }
        if (net.kind == ColorNet.Kind.ANN) {
            backwardAnn(net, g, ch);
        } else {
            backwardSnn(net, g, ch);
        }
    }

    private void backwardAnn(ColorNet net, NetGrads g, int ch) {
        int h = net.hidden;
        java.util.Arrays.fill(dvsum, 0, h, 0f);
        for (int q = 0; q < ns; q++) {
            int o = q * h;
            float[] dl = logitGrad(q);
            // layer 3
            for (int i = 0; i < h; i++) {
                float a = s2[o + i];
                if (a != 0f) {
                    g.w3[3 * i] += a * dl[0];
                    g.w3[3 * i + 1] += a * dl[1];
                    g.w3[3 * i + 2] += a * dl[2];
                }
                dx2[i] = h2[o + i] > 0 ? net.w3[3 * i] * dl[0] + net.w3[3 * i + 1] * dl[1]
                        + net.w3[3 * i + 2] * dl[2] : 0f;
            }
            layer2Backward(net, g, o, h);
            for (int i = 0; i < h; i++) {
                dx1[i] = h1[o + i] > 0 ? dx1[i] : 0f;
            }
            layer1Backward(net, g, q, ch);
        }
        viewBackward(net, g);
    }

    private void backwardSnn(ColorNet net, NetGrads g, int ch) {
        int h = net.hidden;
        LifNeuron nrn = net.neuron;
        float inv = 1f / nrn.tau();
        java.util.Arrays.fill(dvsum, 0, h, 0f);
        java.util.Arrays.fill(dv1, 0, h, 0f);
        java.util.Arrays.fill(dv2, 0, h, 0f);
        for (int q = ns - 1; q >= 0; q--) {
            int o = q * h;
            float[] dl = logitGrad(q);
            float carry = (1 - inv) * (gap[q] > 1 ? nrn.decayFactor(gap[q] - 1) : 1f);
            for (int i = 0; i < h; i++) {
                float a = s2[o + i];
                if (a != 0f) {
                    g.w3[3 * i] += a * dl[0];
                    g.w3[3 * i + 1] += a * dl[1];
                    g.w3[3 * i + 2] += a * dl[2];
                }
                float dS = net.w3[3 * i] * dl[0] + net.w3[3 * i + 1] * dl[1] + net.w3[3 * i + 2] * dl[2];
                float dH = lifBackward(nrn, h2[o + i], a, dS, dv2[i]);
                dx2[i] = dH * inv;
                dv2[i] = dH * carry;
            }
            layer2Backward(net, g, o, h);
            for (int i = 0; i < h; i++) {
                float dH = lifBackward(nrn, h1[o + i], s1[o + i], dx1[i], dv1[i]);
                dx1[i] = dH * inv;
                dv1[i] = dH * carry;
            }
            layer1Backward(net, g, q, ch);
        }
        viewBackward(net, g);
    }

    /** dL/dH from dL/dS and dL/dV of the same step: surrogate for S, (1 - S) (+ reset path when attached) for V. */
    private float lifBackward(LifNeuron nrn, float hh, float s, float dS, float dV) {
        float sg = nrn.surrogateGrad(hh);
        float dvdh = 1 - s;
        if (attachedReset) {
            dvdh += (nrn.reset() - hh) * sg;
        }
        return dS * sg + dV * dvdh;
    }

    private final float[] dlogit = new float[3];

    private float[] logitGrad(int q) {
        for (int c = 0; c < 3; c++) {
            float r = rgb[3 * q + c];
            dlogit[c] = dcol[3 * q + c] * r * (1 - r);
        }
        return dlogit;
    }

    /** dW2 += s1 (x) dx2 for non-zero s1; dx1 (before activation) = W2 dx2. */
    private void layer2Backward(ColorNet net, NetGrads g, int o, int h) {
        float[] w2 = net.w2;
        for (int i = 0; i < h; i++) {
            float a = s1[o + i];
            int off = i * h;
            float acc = 0;
            if (a != 0f) {
                for (int j = 0; j < h; j++) {
                    g.w2[off + j] += a * dx2[j];
                    acc += w2[off + j] * dx2[j];
                }
            } else {
                for (int j = 0; j < h; j++) {
                    acc += w2[off + j] * dx2[j];
                }
            }
            dx1[i] = acc;
        }
    }

    /** dW1 (feature rows) += feat (x) dx1; d feature = W1 dx1 recorded for the grid; view rows summed per ray. */
    private void layer1Backward(ColorNet net, NetGrads g, int q, int ch) {
        int h = net.hidden;
        int i = surv[q];
        int off = g.addFeature(base[i], frac[3 * i], frac[3 * i + 1], frac[3 * i + 2]);
        float[] w1 = net.w1;
        for (int c = 0; c < ch; c++) {
            float f = feat[q * ch + c];
            int wo = c * h;
            float acc = 0;
            for (int j = 0; j < h; j++) {
                g.w1[wo + j] += f * dx1[j];
                acc += w1[wo + j] * dx1[j];
            }
            g.fVal[off + c] = acc;
        }
        for (int j = 0; j < h; j++) {
            dvsum[j] += dx1[j];
        }
    }

    private void viewBackward(ColorNet net, NetGrads g) {
        int h = net.hidden;
        for (int qv = 0; qv < ColorNet.VIEW_WIDTH; qv++) {
            float e = enc[qv];
            int wo = (net.features + qv) * h;
            for (int j = 0; j < h; j++) {
                g.w1[wo + j] += e * dvsum[j];
            }
        }
    }
}
