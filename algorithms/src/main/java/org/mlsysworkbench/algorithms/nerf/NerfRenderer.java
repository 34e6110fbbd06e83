package org.mlsysworkbench.algorithms.nerf;

/**
 * The CPU reference renderer (the CPU twin of the Vulkan render kernel): renders a {@link NerfModel} from a camera
 * with per-pixel sample counts and modelled energy. Thread-safe: each call uses its own per-worker scratch.
 */
public final class NerfRenderer {

    /**
     * One rendered view.
     *
     * @param rgb      {@code 3 * width * height} floats in 0..1, row-major from the top
     * @param depth    expected termination distance per pixel (world units, weight-averaged)
     * @param opacity  {@code 1 - T} per pixel
     * @param shaded   samples shaded by the colour network per pixel (after masking)
     * @param energyPj modelled colour-network energy per pixel in picojoules (SNN: MAC + SOP; ANN: MAC)
     * @param ops      operation counts over the whole view
     */
    public record Frame(int width, int height, float[] rgb, float[] depth, float[] opacity, int[] shaded,
                        float[] energyPj, EnergyModel.OpCounts ops) {
    }

    private NerfRenderer() {
    }

    /** Renders {@code w x h} pixels of {@code model} from a camera-to-world {@code pose} with focal {@code focal}. */
    public static Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] bg,
                               EnergyModel energy, Parallel par) {
        float[] rgb = new float[w * h * 3];
        float[] depth = new float[w * h];
        float[] opacity = new float[w * h];
        int[] shaded = new int[w * h];
        float[] energyPj = new float[w * h];
        int workers = par.threads();
        RayKernel[] kernels = new RayKernel[workers];
        long[] samples = new long[h];
        long[] surv = new long[h];
        double[] sp1 = new double[h];
        double[] sp2 = new double[h];
        ColorNet net = model.net;
        int inputs = net == null ? 0 : net.inputs();
        int hidden = net == null ? 0 : net.hidden;
        boolean snn = net != null && net.kind == ColorNet.Kind.SNN;
        par.forEach(h, 2, (worker, from, to) -> {
            RayKernel k = kernels[worker];
            if (k == null) {
                k = new RayKernel();
                kernels[worker] = k;
            }
            float[] o = new float[3];
            float[] d = new float[3];
            for (int y = from; y < to; y++) {
                for (int x = 0; x < w; x++) {
                    NerfViews.ray(pose, focal, w, h, x, y, o, d);
                    k.forward(model, o, d, 0.5f, bg);
                    int p = y * w + x;
                    rgb[3 * p] = k.color[0];
                    rgb[3 * p + 1] = k.color[1];
                    rgb[3 * p + 2] = k.color[2];
                    opacity[p] = 1 - k.transFinal;
                    depth[p] = k.depthMean;
                    shaded[p] = k.ns;
                    samples[y] += k.n;
                    surv[y] += k.ns;
                    sp1[y] += k.spikes1;
                    sp2[y] += k.spikes2;
                    if (net != null) {
                        double macs = (double) k.ns * inputs * hidden;
                        energyPj[p] = (float) (snn
                                ? energy.macPj() * macs + energy.acPj() * (k.spikes1 * hidden + k.spikes2 * 3)
                                : energy.macPj() * k.ns * ((double) inputs * hidden + hidden * hidden + 3.0 * hidden));
                    }
                }
            }
        });
        long totalSamples = 0;
        long totalSurv = 0;
        double s1 = 0;
        double s2 = 0;
        for (int y = 0; y < h; y++) {
            totalSamples += samples[y];
            totalSurv += surv[y];
            s1 += sp1[y];
            s2 += sp2[y];
        }
        return new Frame(w, h, rgb, depth, opacity, shaded, energyPj,
                new EnergyModel.OpCounts(totalSamples, totalSurv, s1, s2, inputs, hidden));
    }

    /** PSNR in dB of two images in 0..1: {@code -10 log10(MSE)}. */
    public static double psnr(float[] a, float[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            se += e * e;
        }
        double mse = se / a.length;
        return mse == 0 ? 100 : -10 * Math.log10(mse);
    }

    /**
     * SSIM of two RGB images (mip-NeRF's: 11x11 Gaussian window, sigma 1.5, k1 0.01, k2 0.03, valid region only),
     * averaged over channels.
     */
    public static double ssim(float[] a, float[] b, int w, int h) {
        int r = 5;
        double[] g = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            g[i + r] = Math.exp(-0.5 * i * i / (1.5 * 1.5));
            sum += g[i + r];
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= sum;
        }
        double c1 = 0.01 * 0.01;
        double c2 = 0.03 * 0.03;
        double total = 0;
        int count = 0;
        for (int c = 0; c < 3; c++) {
            double[][] maps = new double[5][w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double va = a[3 * (y * w + x) + c];
                    double vb = b[3 * (y * w + x) + c];
                    maps[0][y * w + x] = va;
                    maps[1][y * w + x] = vb;
                    maps[2][y * w + x] = va * va;
                    maps[3][y * w + x] = vb * vb;
                    maps[4][y * w + x] = va * vb;
                }
            }
            double[][] f = new double[5][];
            for (int m = 0; m < 5; m++) {
                f[m] = blur(maps[m], w, h, g, r);
            }
            for (int y = r; y < h - r; y++) {
                for (int x = r; x < w - r; x++) {
                    int p = y * w + x;
                    double mu1 = f[0][p];
                    double mu2 = f[1][p];
                    double s11 = f[2][p] - mu1 * mu1;
                    double s22 = f[3][p] - mu2 * mu2;
                    double s12 = f[4][p] - mu1 * mu2;
                    total += ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2));
                    count++;
                }
            }
        }
        return count == 0 ? 1 : total / count;
    }

    private static double[] blur(double[] img, int w, int h, double[] g, int r) {
        double[] tmp = new double[w * h];
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = r; x < w - r; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += g[k + r] * img[y * w + x + k];
                }
                tmp[y * w + x] = s;
            }
        }
        for (int y = r; y < h - r; y++) {
            for (int x = r; x < w - r; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += g[k + r] * tmp[(y + k) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }
}
