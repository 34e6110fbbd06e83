package org.mlsysworkbench.algorithms.nerf;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.RunContext;

/**
 * Trains a {@link NerfModel} on posed views with the fused {@link RayKernel} forward/backward pass, photometric MSE
 * and Adam (beta 0.9/0.99): dense Adam for the colour network, and for the grids DVGO's masked Adam, which updates
 * only voxels that received a gradient in the step (PyTorch SparseAdam semantics). Learning rates decay
 * exponentially to {@code 0.1x} over the run. Each batch is split into a fixed number of chunks whose gradients are
 * reduced in chunk order, so results do not depend on the number of threads. Not thread-safe.
 */
public final class NerfTrainer {

    static final int CHUNKS = 16;
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.99f;
    static final float EPS = 1e-15f;

    /**
     * What one training stage does.
     *
     * @param iterations   Adam steps
     * @param raysPerBatch rays per step, drawn uniformly from all training pixels
     * @param gridLr       learning rate of the density and feature grids
     * @param netLr        learning rate of the colour network
     */
    public record Schedule(int iterations, int raysPerBatch, float gridLr, float netLr) {
    }

    /** Called after each step with the batch loss (MSE). */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int iteration, double mse);
    }

    private final NerfModel model;
    private final float[] bg;
    private final float[] mD;
    private final float[] vD;
    private final float[] gD;
    private final float[] mF;
    private final float[] vF;
    private final float[] gF;
    private final int[] stamp;
    private int[] touched = new int[4096];
    private int touchedCount;
    private final float[][] mW = new float[3][];
    private final float[][] vW = new float[3][];
    private final NetGrads[] chunks = new NetGrads[CHUNKS];
    private int step;

    public NerfTrainer(NerfModel model, float[] background) {
        this.model = model;
        this.bg = background.clone();
        int n = model.voxels();
        mD = new float[n];
        vD = new float[n];
        gD = new float[n];
        mF = new float[n * model.channels];
        vF = new float[n * model.channels];
        gF = new float[n * model.channels];
        stamp = new int[n];
        if (model.net != null) {
            float[][] w = {model.net.w1, model.net.w2, model.net.w3};
            for (int i = 0; i < 3; i++) {
                mW[i] = new float[w[i].length];
                vW[i] = new float[w[i].length];
            }
        }
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c] = new NetGrads(model.net, model.channels);
        }
    }

    public NerfModel model() {
        return model;
    }

    /** Runs the schedule; polls {@code ctx} between steps. Returns the mean MSE of the last 10% of steps. */
    public double train(NerfViews views, Schedule s, SplittableRandom rnd, Parallel par, RunContext ctx,
                        String stage, StepListener listener) {
        int pixels = views.width() * views.height();
        long total = (long) pixels * views.count();
        int b = s.raysPerBatch();
        int[] view = new int[b];
        int[] pix = new int[b];
        float[] jitter = new float[b];
        RayKernel[] kernels = new RayKernel[par.threads()];
        double tail = 0;
        int tailCount = 0;
        for (int it = 0; it < s.iterations(); it++) {
            if (ctx != null) {
                ctx.checkpoint((double) it / s.iterations(), stage + " step " + it);
            }
            for (int r = 0; r < b; r++) {
                long idx = rnd.nextLong(total);
                view[r] = (int) (idx / pixels);
                pix[r] = (int) (idx % pixels);
                jitter[r] = (float) rnd.nextDouble();
            }
            int per = (b + CHUNKS - 1) / CHUNKS;
            float scale = 2f / (3f * b);
            par.forEach(CHUNKS, 1, (worker, from, to) -> {
                RayKernel k = kernels[worker];
                if (k == null) {
                    k = new RayKernel();
                    kernels[worker] = k;
                }
                float[] o = new float[3];
                float[] d = new float[3];
                float[] dC = new float[3];
                for (int c = from; c < to; c++) {
                    NetGrads g = chunks[c];
                    g.reset();
                    for (int r = c * per; r < Math.min(b, (c + 1) * per); r++) {
                        int p = pix[r];
                        float[] pose = views.poses().get(view[r]);
                        NerfViews.ray(pose, views.focal(), views.width(), views.height(), p % views.width(),
                                p / views.width(), o, d);
                        k.forward(model, o, d, jitter[r], bg);
                        float[] gt = views.rgb().get(view[r]);
                        for (int ch = 0; ch < 3; ch++) {
                            float e = k.color[ch] - gt[3 * p + ch];
                            g.loss += e * e;
                            dC[ch] = scale * e;
                        }
                        k.backward(dC, bg, g);
                    }
                }
            });
            double loss = 0;
            for (NetGrads g : chunks) {
                loss += g.loss;
            }
            loss /= 3.0 * b;
            float decay = (float) Math.pow(0.1, (double) it / s.iterations());
            apply(s.gridLr() * decay, s.netLr() * decay);
            if (listener != null) {
                listener.onStep(it, loss);
            }
            if (it >= s.iterations() * 9 / 10) {
                tail += loss;
                tailCount++;
            }
        }
        return tailCount == 0 ? 0 : tail / tailCount;
    }

    /** Reduces the chunk gradients in order and takes one Adam step. */
    void apply(float gridLr, float netLr) {
        step++;
        int mark = step;
        touchedCount = 0;
        int ch = model.channels;
        int nz = model.nz;
        int sx = model.ny * nz;
        for (NetGrads g : chunks) {
            for (int r = 0; r < g.nd; r++) {
                int b0 = g.dBase[r];
                float fx = g.dFrac[3 * r];
                float fy = g.dFrac[3 * r + 1];
                float fz = g.dFrac[3 * r + 2];
                float v = g.dVal[r];
                for (int k = 0; k < 8; k++) {
                    int dx = k >> 2;
                    int dy = (k >> 1) & 1;
                    int dz = k & 1;
                    float w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
                    int vox = b0 + dx * sx + dy * nz + dz;
                    touch(vox, mark);
                    gD[vox] += w * v;
                }
            }
            for (int r = 0; r < g.nf; r++) {
                int b0 = g.fBase[r];
                float fx = g.fFrac[3 * r];
                float fy = g.fFrac[3 * r + 1];
                float fz = g.fFrac[3 * r + 2];
                int off = r * ch;
                for (int k = 0; k < 8; k++) {
                    int dx = k >> 2;
                    int dy = (k >> 1) & 1;
                    int dz = k & 1;
                    float w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
                    if (w == 0f) {
                        continue;
                    }
                    int vox = b0 + dx * sx + dy * nz + dz;
                    touch(vox, mark);
                    int fo = vox * ch;
                    for (int c = 0; c < ch; c++) {
                        gF[fo + c] += w * g.fVal[off + c];
                    }
                }
            }
        }
        float bc1 = 1 - (float) Math.pow(BETA1, step);
        float bc2 = 1 - (float) Math.pow(BETA2, step);
        float lr = gridLr * (float) Math.sqrt(bc2) / bc1;
        for (int t = 0; t < touchedCount; t++) {
            int vox = touched[t];
            model.density[vox] -= adam(gD, mD, vD, vox, lr);
            gD[vox] = 0;
            int fo = vox * ch;
            for (int c = 0; c < ch; c++) {
                model.features[fo + c] -= adam(gF, mF, vF, fo + c, lr);
                gF[fo + c] = 0;
            }
        }
        if (model.net != null) {
            float[][] w = {model.net.w1, model.net.w2, model.net.w3};
            float nlr = netLr * (float) Math.sqrt(bc2) / bc1;
            for (int i = 0; i < 3; i++) {
                float[] grad = new float[w[i].length];
                for (NetGrads g : chunks) {
                    float[] src = i == 0 ? g.w1 : i == 1 ? g.w2 : g.w3;
                    for (int j = 0; j < grad.length; j++) {
                        grad[j] += src[j];
                    }
                }
                for (int j = 0; j < grad.length; j++) {
                    w[i][j] -= adam(grad, mW[i], vW[i], j, nlr);
                }
            }
        }
    }

    private static float adam(float[] g, float[] m, float[] v, int i, float lr) {
        float gi = g[i];
        m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
        v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
        return lr * m[i] / ((float) Math.sqrt(v[i]) + EPS);
    }

    private void touch(int vox, int mark) {
        if (stamp[vox] != mark) {
            stamp[vox] = mark;
            if (touchedCount == touched.length) {
                touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = vox;
        }
    }
}
