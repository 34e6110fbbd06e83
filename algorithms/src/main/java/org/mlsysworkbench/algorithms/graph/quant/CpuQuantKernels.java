package org.mlsysworkbench.algorithms.graph.quant;

/**
 * The plain-Java {@link QuantKernels}: the reference the Vulkan kernels are checked against. Arithmetic in
 * float, in the order the shaders use (one accumulator per output element, CSR order). Stateless and
 * thread-safe.
 */
public final class CpuQuantKernels implements QuantKernels {

    @Override
    public void quantize(float[] x, int n, int f, float[] alpha, int[] qmax, int[] codes) {
        for (int i = 0; i < n; i++) {
            float a = Math.max(Math.abs(alpha[i]), 1e-12f);
            float q = qmax[i];
            for (int j = i * f; j < (i + 1) * f; j++) {
                float m = Math.min(Math.abs(x[j]) / a, q);
                int level = (int) Math.floor(m + 0.5f);
                codes[j] = x[j] < 0 ? -level : level;
            }
        }
    }

    @Override
    public void dequantize(int[] codes, int n, int f, float[] alpha, float[] out) {
        for (int i = 0; i < n; i++) {
            float a = Math.max(Math.abs(alpha[i]), 1e-12f);
            for (int j = i * f; j < (i + 1) * f; j++) {
                out[j] = codes[j] * a;
            }
        }
    }

    @Override
    public void aggregate(int[] rowPtr, int[] cols, float[] vals, int rows, int[] codes, float[] alpha, int f,
                          float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f; j++) {
                float acc = 0f;
                for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                    int c = cols[k];
                    acc += vals[k] * (codes[c * f + j] * Math.max(Math.abs(alpha[c]), 1e-12f));
                }
                out[r * f + j] = acc;
            }
        }
    }
}
