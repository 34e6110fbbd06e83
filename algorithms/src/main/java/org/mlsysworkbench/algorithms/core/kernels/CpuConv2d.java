package org.mlsysworkbench.algorithms.core.kernels;

/**
 * Plain-Java 2-D convolution by im2col + {@link CpuGemm}, images in parallel on {@link KernelThreads}.
 * Layouts as in {@link DenseKernels#conv2d}. Thread-safe (scratch is per call).
 */
public final class CpuConv2d {

    private CpuConv2d() {
    }

    /** Output height or width for an input extent, kernel extent, stride and padding. */
    public static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * Unfolds one image {@code x[xOff ..] [C, H, W]} into {@code cols[colOff ..] [C*KH*KW, OH*OW]}:
     * row {@code (ch, i, j)} holds the input pixel under kernel tap (i, j) for every output position,
     * zero outside the padded border.
     */
    public static void im2col(float[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                              float[] cols, int colOff) {
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        int row = 0;
        for (int ch = 0; ch < c; ch++) {
            int plane = xOff + ch * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    int dst = colOff + row * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * stride - pad + i;
                        int d = dst + y * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, d, d + ow, 0f);
                            continue;
                        }
                        int src = plane + iy * w;
                        for (int xx = 0; xx < ow; xx++) {
                            int ix = xx * stride - pad + j;
                            cols[d + xx] = ix >= 0 && ix < w ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Forward convolution; see {@link DenseKernels#conv2d}. */
    public static void forward(float[] x, int n, int c, int h, int w, float[] weight, int o, int kh, int kw,
                               float[] bias, int stride, int pad, float[] y) {
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        int k = c * kh * kw;
        int p = oh * ow;
        KernelThreads.parallelFor(n, (long) n * o * k * p, (from, to) -> {
            float[] cols = new float[k * p];
            for (int img = from; img < to; img++) {
                im2col(x, img * c * h * w, c, h, w, kh, kw, stride, pad, cols, 0);
                CpuGemm.gemm(o, p, k, weight, 0, k, false, cols, 0, p, false, y, img * o * p, p, false);
                if (bias != null) {
                    for (int oc = 0; oc < o; oc++) {
                        int base = img * o * p + oc * p;
                        float b = bias[oc];
                        for (int q = 0; q < p; q++) {
                            y[base + q] += b;
                        }
                    }
                }
            }
        });
    }
}
