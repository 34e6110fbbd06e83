package org.mlsysworkbench.algorithms.nerf;

/**
 * Everything one ray went through, for the spike raster and the sample plot: the shaded samples in time order with
 * their step along the ray (TP time), position, alpha and weight, and the spikes of both LIF layers
 * ({@code spikes1[k * hidden + j]}, 1 or 0; empty for the ANN and the coarse model).
 *
 * @param steps   step index along the ray of each shaded sample (the padding time step)
 * @param depth   distance along the ray, world units
 * @param alpha   alpha of each shaded sample
 * @param weight  rendering weight {@code T alpha}
 * @param marched samples marched inside the mask (before the colour thresholds)
 */
public record RayTrace(int hidden, int[] steps, float[] depth, float[] alpha, float[] weight, float[] spikes1,
                       float[] spikes2, int marched, float[] rgb) {

    /** Traces the ray through pixel (px, py) of a {@code w x h} view. Thread-safe (own scratch). */
    public static RayTrace of(NerfModel m, float[] pose, float focal, int w, int h, int px, int py, float[] bg) {
        RayKernel k = new RayKernel();
        float[] o = new float[3];
        float[] d = new float[3];
        NerfViews.ray(pose, focal, w, h, px, py, o, d);
        k.forward(m, o, d, 0.5f, bg);
        int ns = k.ns;
        int hidden = m.net != null && m.net.kind == ColorNet.Kind.SNN ? m.net.hidden : 0;
        int[] steps = new int[ns];
        float[] depth = new float[ns];
        float[] alpha = new float[ns];
        float[] weight = new float[ns];
        for (int q = 0; q < ns; q++) {
            int i = k.surv[q];
            steps[q] = k.step[i];
            depth[q] = k.tpos[i];
            alpha[q] = k.alpha[i];
            weight[q] = k.trans[i] * k.alpha[i];
        }
        float[] s1 = hidden == 0 ? new float[0] : java.util.Arrays.copyOf(k.s1, ns * hidden);
        float[] s2 = hidden == 0 ? new float[0] : java.util.Arrays.copyOf(k.s2, ns * hidden);
        return new RayTrace(hidden, steps, depth, alpha, weight, s1, s2, k.n, k.color.clone());
    }

    public int shaded() {
        return steps.length;
    }
}
