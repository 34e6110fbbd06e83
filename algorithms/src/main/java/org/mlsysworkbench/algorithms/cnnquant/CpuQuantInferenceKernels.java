package org.mlsysworkbench.algorithms.cnnquant;

/**
 * {@link QuantInferenceKernels} in plain Java, one image after another on the caller's thread: the CPU twin of the
 * Vulkan kernels and the CPU backend's implementation. Uses {@link FcKernels} and {@link PqLayer#lutForwardFc}.
 * Layers hold no native resources; {@code close()} does nothing.
 */
public final class CpuQuantInferenceKernels implements QuantInferenceKernels {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Layer dense(float[] w, int fanIn, int outputs, float[] bias) {
        float[] wc = w.clone();
        float[] b = bias.clone();
        float[] row = new float[outputs];
        return layer(fanIn, outputs, (x, i, out) -> {
            FcKernels.dense(wc, fanIn, outputs, x, i * fanIn, b, row);
            System.arraycopy(row, 0, out, i * outputs, outputs);
        });
    }

    @Override
    public Layer int8(FcKernels.Int8Weights w, UniformQuantizer input, float[] bias) {
        int s = w.fanIn();
        int n = w.outputs();
        float[] b = bias.clone();
        int[] acc = new int[n];
        float[] row = new float[n];
        byte[] codes = new byte[s];
        return layer(s, n, (x, i, out) -> {
            FcKernels.quantizeInput(input, x, i * s, s, codes, 0);
            FcKernels.int8(w, codes, 0, input.scale(), input.zeroPoint(), b, acc, row);
            System.arraycopy(row, 0, out, i * n, n);
        });
    }

    @Override
    public Layer binary(BinaryCodes codes, int fanIn, int outputs, float[] bias) {
        float[] plus = FcKernels.plusMask(codes);
        float[] alpha = codes.alpha().clone();
        float[] b = bias.clone();
        float[] acc = new float[outputs];
        float[] row = new float[outputs];
        return layer(fanIn, outputs, (x, i, out) -> {
            FcKernels.binary(plus, alpha, fanIn, outputs, x, i * fanIn, b, acc, row);
            System.arraycopy(row, 0, out, i * outputs, outputs);
        });
    }

    @Override
    public Layer lookup(PqLayer layer, float[] bias) {
        if (layer.positions != 1) {
            throw new IllegalArgumentException("lookup FC layers have one position, got " + layer.positions);
        }
        float[] b = bias.clone();
        float[] table = layer.newTable(1);
        return layer(layer.fanIn, layer.outputs, (x, i, out) ->
                layer.lutForwardFc(x, i * layer.fanIn, b, out, i * layer.outputs, table));
    }

    @Override
    public Layer denseConv(float[] w, int inChannels, int outChannels, int h, int width, float[] bias) {
        float[] wc = w.clone();
        float[] b = bias.clone();
        int p = h * width;
        return layer(inChannels * p, outChannels * p, (x, i, out) ->
                ConvKernels.dense(wc, inChannels, outChannels, h, width, x, i * inChannels * p, b, out,
                        i * outChannels * p));
    }

    @Override
    public Layer int8Conv(FcKernels.Int8Weights w, int inChannels, int h, int width, UniformQuantizer input,
                          float[] bias) {
        float[] b = bias.clone();
        int p = h * width;
        int in = inChannels * p;
        byte[] codes = new byte[in];
        int[] acc = new int[p];
        return layer(in, w.outputs() * p, (x, i, out) -> {
            FcKernels.quantizeInput(input, x, i * in, in, codes, 0);
            ConvKernels.int8(w, inChannels, h, width, codes, 0, input.scale(), input.zeroPoint(), b, acc, out,
                    i * w.outputs() * p);
        });
    }

    @Override
    public Layer binaryConv(BinaryCodes codes, int inChannels, int h, int width, float[] bias) {
        BinaryCodes c = new BinaryCodes(codes.signs().clone(), codes.alpha().clone(), codes.errorHistory());
        float[] b = bias.clone();
        int p = h * width;
        int outChannels = codes.alpha().length;
        float[] scratch = new float[2 * p];
        return layer(inChannels * p, outChannels * p, (x, i, out) ->
                ConvKernels.binary(c, inChannels, h, width, x, i * inChannels * p, b, scratch, out,
                        i * outChannels * p));
    }

    @Override
    public Layer lookupConv(PqLayer layer, int h, int width, float[] bias) {
        if (layer.positions != 9) {
            throw new IllegalArgumentException("lookup conv layers have 9 positions, got " + layer.positions);
        }
        float[] b = bias.clone();
        float[] table = layer.newTable(h * width);
        int p = h * width;
        return layer(layer.channels * p, layer.outputs * p, (x, i, out) ->
                layer.lutForwardConv(x, i * layer.channels * p, h, width, b, out, i * layer.outputs * p, table));
    }

    @Override
    public void close() {
        // nothing native
    }

    /** Computes image {@code i} of {@code x} into its row of {@code out}. */
    private interface ImageKernel {
        void run(float[] x, int i, float[] out);
    }

    private static Layer layer(int fanIn, int outputs, ImageKernel k) {
        return new Layer() {
            @Override
            public int inputSize() {
                return fanIn;
            }

            @Override
            public int outputSize() {
                return outputs;
            }

            @Override
            public void forward(float[] x, int images, float[] out) {
                if (x.length < images * fanIn || out.length < images * outputs) {
                    throw new IllegalArgumentException("forward of " + images + " images needs x of " + images * fanIn
                            + " and out of " + images * outputs + " floats, got " + x.length + " / " + out.length);
                }
                for (int i = 0; i < images; i++) {
                    k.run(x, i, out);
                }
            }

            @Override
            public void close() {
                // nothing native
            }
        };
    }
}
