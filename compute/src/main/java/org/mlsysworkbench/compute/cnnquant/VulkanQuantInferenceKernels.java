package org.mlsysworkbench.compute.cnnquant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.cnnquant.BinaryCodes;
import org.mlsysworkbench.algorithms.cnnquant.FcKernels;
import org.mlsysworkbench.algorithms.cnnquant.PqLayer;
import org.mlsysworkbench.algorithms.cnnquant.QuantInferenceKernels;
import org.mlsysworkbench.algorithms.cnnquant.UniformQuantizer;
import org.mlsysworkbench.compute.core.CommandSequence;
import org.mlsysworkbench.compute.core.ComputeKernel;
import org.mlsysworkbench.compute.core.GpuBuffer;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.GpuThread;
import org.mlsysworkbench.compute.core.Grid;
import org.mlsysworkbench.compute.core.HostArray;
import org.mlsysworkbench.compute.core.KernelCache;
import org.mlsysworkbench.compute.core.KernelSpec;
import org.mlsysworkbench.compute.core.Op;

/**
 * {@link QuantInferenceKernels} on Vulkan (shaders under {@code glsl/cnnquant/}): float32, W8A8 integer, binary
 * sign-accumulate and Q-CNN look-up FC and 3x3 conv layers. A layer uploads its weights once when it is made; each
 * {@code forward} uploads the inputs (the int8 layer quantizes them to uint8 codes on the host first, as its CPU
 * twin does), records its dispatches in the layer's command sequence (barriers derived by the sequence) and
 * downloads the outputs. Buffers are std430 arrays as documented in the shaders; one invocation per output
 * value (Q-CNN: per table entry, then per output), groups folded into 2-D past 65,535. Every loop runs at most
 * {@code fanIn} (conv: {@code 9 C_s}, or {@code 9 M} look-ups) iterations, within lavapipe's 65,535 per
 * invocation for the layers of this bench.
 *
 * <p>With a {@link GpuThread}, every call runs on it (the backend's one GPU thread); without one, calls run on
 * the caller's thread, which must be the context's. Uses a context it does not own; owns its pipelines and the
 * layers it made ({@link #close()} closes them all, idempotent; any call after it throws
 * {@link IllegalStateException}). A layer's {@code close()} frees its buffers.
 */
public final class VulkanQuantInferenceKernels implements QuantInferenceKernels {

    private static final int WG = 64;

    // not owned
    private final GpuContext gpu;
    private final GpuThread thread;
    // owned
    private final KernelCache kernels;
    private final List<VkLayer> layers = new ArrayList<>();
    private boolean closed;

    /** Kernels whose calls run on {@code thread} (null: on the caller's thread). */
    public VulkanQuantInferenceKernels(GpuContext gpu, GpuThread thread) {
        this.gpu = gpu;
        this.kernels = new KernelCache(gpu, "VulkanQuantInferenceKernels");
        this.thread = thread;
    }

    @Override
    public String name() {
        return "vulkan";
    }

    private <T> T on(Callable<T> task) {
        if (closed) {
            throw new IllegalStateException("VulkanQuantInferenceKernels is closed");
        }
        if (thread != null) {
            return thread.call(task);
        }
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ComputeKernel kernel(String shader, int bindings, int pushInts) {
        return kernels.get(KernelSpec.of("cnnquant/" + shader, bindings, 4 * pushInts, WG));
    }

    @Override
    public Layer dense(float[] w, int fanIn, int outputs, float[] bias) {
        checkShape("dense", w.length, fanIn, outputs, bias);
        return on(() -> register(new VkLayer("dense", fanIn, outputs) {
            final GpuBuffer bw = weights("w", HostArray.of(w));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * fanIn)));
                seq.record(Op.dispatch(kernel("fc_dense", 4, 3), Grid.forElements((long) images * outputs, WG, gpu),
                        new int[] {images, fanIn, outputs}, in, bw, bb, out));
            }
        }));
    }

    @Override
    public Layer int8(FcKernels.Int8Weights w, UniformQuantizer input, float[] bias) {
        if (input.bits() != 8) {
            throw new IllegalArgumentException("int8 layers take 8-bit activations, got " + input.bits() + " bits");
        }
        int fanIn = w.fanIn();
        int outputs = w.outputs();
        checkShape("int8", w.q().length, fanIn, outputs, bias);
        int xWords = (fanIn + 3) / 4;
        return on(() -> register(new VkLayer("int8", fanIn, outputs) {
            final GpuBuffer bw = weights("wq", HostArray.of(padded(w.q())));
            final GpuBuffer bs = weights("scale", HostArray.of(w.scale()));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));
            byte[] codes = new byte[0];

            @Override
            long inputBytes(int images) {
                return 4L * images * xWords;
            }

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                if (codes.length != 4 * images * xWords) {
                    codes = new byte[4 * images * xWords];
                }
                for (int i = 0; i < images; i++) {
                    FcKernels.quantizeInput(input, x, i * fanIn, fanIn, codes, 4 * i * xWords);
                }
                seq.record(Op.upload(in, HostArray.of(codes)));
                seq.record(Op.dispatch(kernel("fc_int8", 5, 6), Grid.forElements((long) images * outputs, WG, gpu),
                        new int[] {images, fanIn, outputs, input.zeroPoint(), Float.floatToRawIntBits(input.scale()),
                            xWords}, in, bw, bs, bb, out));
            }
        }));
    }

    @Override
    public Layer binary(BinaryCodes codes, int fanIn, int outputs, float[] bias) {
        checkShape("binary", codes.signs().length, fanIn, outputs, bias);
        int words = (fanIn + 31) / 32;
        return on(() -> register(new VkLayer("binary", fanIn, outputs) {
            final GpuBuffer bits = weights("bits", HostArray.of(FcKernels.packSigns(codes, fanIn, outputs)));
            final GpuBuffer ba = weights("alpha", HostArray.of(codes.alpha()));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * fanIn)));
                seq.record(Op.dispatch(kernel("fc_binary", 5, 4), Grid.forElements((long) images * outputs, WG,
                        gpu), new int[] {images, fanIn, outputs, words}, in, bits, ba, bb, out));
            }
        }));
    }

    @Override
    public Layer lookup(PqLayer layer, float[] bias) {
        if (layer.positions != 1) {
            throw new IllegalArgumentException("lookup FC layers have one position, got " + layer.positions);
        }
        int fanIn = layer.fanIn;
        int outputs = layer.outputs;
        int m = layer.subspaces;
        int k = layer.codewords;
        int d = layer.subDim;
        checkShape("lookup", (long) fanIn * outputs, fanIn, outputs, bias);
        float[] cb = new float[m * k * d];
        for (int q = 0; q < m; q++) {
            System.arraycopy(layer.codebook(q), 0, cb, q * k * d, k * d);
        }
        int[] codes = new int[outputs * m];
        for (int t = 0; t < outputs; t++) {
            for (int q = 0; q < m; q++) {
                codes[t * m + q] = layer.code(t, 0, q);
            }
        }
        return on(() -> register(new VkLayer("lookup", fanIn, outputs) {
            final GpuBuffer bcb = weights("codebooks", HostArray.of(cb));
            final GpuBuffer bc = weights("codes", HostArray.of(codes));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));
            GpuBuffer table;

            @Override
            void allocate(int images) {
                table = scratch("table", 4L * images * m * k);
            }

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * fanIn)));
                seq.record(Op.dispatch(kernel("lut_table", 3, 5), Grid.forElements((long) images * m * k, WG, gpu),
                        new int[] {images, fanIn, m, k, d}, in, bcb, table));
                seq.record(Op.dispatch(kernel("lut_gather", 4, 4), Grid.forElements((long) images * outputs, WG,
                        gpu), new int[] {images, outputs, m, k}, table, bc, bb, out));
            }
        }));
    }

    @Override
    public Layer denseConv(float[] w, int inChannels, int outChannels, int h, int width, float[] bias) {
        checkShape("dense conv", w.length, 9 * inChannels, outChannels, bias);
        int hw = h * width;
        return on(() -> register(new VkLayer("dense-conv", inChannels * hw, outChannels * hw) {
            final GpuBuffer bw = weights("w", HostArray.of(w));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * inputSize())));
                seq.record(Op.dispatch(kernel("conv_dense", 4, 5), Grid.forElements((long) images * outputSize(), WG,
                        gpu), new int[] {images, inChannels, outChannels, h, width}, in, bw, bb, out));
            }
        }));
    }

    @Override
    public Layer int8Conv(FcKernels.Int8Weights w, int inChannels, int h, int width, UniformQuantizer input,
                          float[] bias) {
        if (input.bits() != 8) {
            throw new IllegalArgumentException("int8 layers take 8-bit activations, got " + input.bits() + " bits");
        }
        int outChannels = w.outputs();
        checkShape("int8 conv", w.q().length, 9 * inChannels, outChannels, bias);
        int hw = h * width;
        int inSize = inChannels * hw;
        int xWords = (inSize + 3) / 4;
        return on(() -> register(new VkLayer("int8-conv", inSize, outChannels * hw) {
            final GpuBuffer bw = weights("wq", HostArray.of(padded(w.q())));
            final GpuBuffer bs = weights("scale", HostArray.of(w.scale()));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));
            byte[] codes = new byte[0];

            @Override
            long inputBytes(int images) {
                return 4L * images * xWords;
            }

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                if (codes.length != 4 * images * xWords) {
                    codes = new byte[4 * images * xWords];
                }
                for (int i = 0; i < images; i++) {
                    FcKernels.quantizeInput(input, x, i * inSize, inSize, codes, 4 * i * xWords);
                }
                seq.record(Op.upload(in, HostArray.of(codes)));
                seq.record(Op.dispatch(kernel("conv_int8", 5, 8), Grid.forElements((long) images * outputSize(), WG,
                        gpu), new int[] {images, inChannels, outChannels, h, width, input.zeroPoint(),
                            Float.floatToRawIntBits(input.scale()), xWords}, in, bw, bs, bb, out));
            }
        }));
    }

    @Override
    public Layer binaryConv(BinaryCodes codes, int inChannels, int h, int width, float[] bias) {
        int outChannels = codes.alpha().length;
        int fanIn = 9 * inChannels;
        checkShape("binary conv", codes.signs().length, fanIn, outChannels, bias);
        int words = (fanIn + 31) / 32;
        int hw = h * width;
        return on(() -> register(new VkLayer("binary-conv", inChannels * hw, outChannels * hw) {
            final GpuBuffer bits = weights("bits", HostArray.of(FcKernels.packSigns(codes, fanIn, outChannels)));
            final GpuBuffer ba = weights("alpha", HostArray.of(codes.alpha()));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * inputSize())));
                seq.record(Op.dispatch(kernel("conv_binary", 5, 6), Grid.forElements((long) images * outputSize(),
                        WG, gpu), new int[] {images, inChannels, outChannels, h, width, words}, in, bits, ba, bb,
                        out));
            }
        }));
    }

    @Override
    public Layer lookupConv(PqLayer layer, int h, int width, float[] bias) {
        if (layer.positions != 9) {
            throw new IllegalArgumentException("lookup conv layers have 9 positions, got " + layer.positions);
        }
        int cs = layer.channels;
        int ct = layer.outputs;
        int m = layer.subspaces;
        int k = layer.codewords;
        int d = layer.subDim;
        checkShape("lookup conv", (long) layer.fanIn * ct, 9 * cs, ct, bias);
        int hw = h * width;
        float[] cb = new float[m * k * d];
        for (int q = 0; q < m; q++) {
            System.arraycopy(layer.codebook(q), 0, cb, q * k * d, k * d);
        }
        int[] codes = new int[ct * 9 * m];
        for (int t = 0; t < ct; t++) {
            for (int pos = 0; pos < 9; pos++) {
                for (int q = 0; q < m; q++) {
                    codes[(t * 9 + pos) * m + q] = layer.code(t, pos, q);
                }
            }
        }
        return on(() -> register(new VkLayer("lookup-conv", cs * hw, ct * hw) {
            final GpuBuffer bcb = weights("codebooks", HostArray.of(cb));
            final GpuBuffer bc = weights("codes", HostArray.of(codes));
            final GpuBuffer bb = weights("bias", HostArray.of(bias));
            GpuBuffer table;

            @Override
            void allocate(int images) {
                table = scratch("table", 4L * images * hw * m * k);
            }

            @Override
            void record(CommandSequence seq, float[] x, int images) {
                seq.record(Op.upload(in, HostArray.of(x, 0, images * inputSize())));
                seq.record(Op.dispatch(kernel("lut_conv_table", 3, 6), Grid.forElements((long) images * hw * m * k,
                        WG, gpu), new int[] {images, cs, hw, m, k, d}, in, bcb, table));
                seq.record(Op.dispatch(kernel("lut_conv_gather", 4, 6), Grid.forElements((long) images * outputSize(),
                        WG, gpu), new int[] {images, ct, h, width, m, k}, table, bc, bb, out));
            }
        }));
    }

    private static void checkShape(String kind, long weights, int fanIn, int outputs, float[] bias) {
        if (fanIn <= 0 || outputs <= 0 || weights != (long) fanIn * outputs || bias.length != outputs) {
            throw new IllegalArgumentException(kind + " layer: expected " + fanIn + " x " + outputs + " weights and "
                    + outputs + " biases, got " + weights + " / " + bias.length);
        }
    }

    private static byte[] padded(byte[] a) {
        return a.length % 4 == 0 ? a : java.util.Arrays.copyOf(a, (a.length + 3) / 4 * 4);
    }

    private VkLayer register(VkLayer layer) {
        layers.add(layer);
        return layer;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Runnable release = () -> {
            for (VkLayer l : new ArrayList<>(layers)) {
                l.release();
            }
            layers.clear();
            kernels.close();
        };
        if (thread != null) {
            thread.run(release);
        } else {
            release.run();
        }
        closed = true;
    }

    /**
     * One resident layer: weight buffers made at construction (on the GPU thread), input/output buffers and a
     * command sequence sized for the largest batch seen so far.
     */
    private abstract class VkLayer implements Layer {
        private final String kind;
        private final int fanIn;
        private final int outputs;
        private final List<AutoCloseable> owned = new ArrayList<>();
        private final List<AutoCloseable> perBatch = new ArrayList<>();
        private int capacity;
        private CommandSequence seq;
        GpuBuffer in;
        GpuBuffer out;
        private boolean released;

        VkLayer(String kind, int fanIn, int outputs) {
            this.kind = kind;
            this.fanIn = fanIn;
            this.outputs = outputs;
        }

        @Override
        public int inputSize() {
            return fanIn;
        }

        @Override
        public int outputSize() {
            return outputs;
        }

        /** A weight buffer filled once from {@code data}. */
        GpuBuffer weights(String name, HostArray data) {
            GpuBuffer b = gpu.buffer("cnnquant/" + kind + "/" + name, Math.max(4, data.bytes()));
            owned.add(b);
            try (CommandSequence up = gpu.sequence("cnnquant/" + kind + "/upload-" + name)) {
                up.record(Op.upload(b, data)).eval();
            }
            return b;
        }

        /** A buffer that lives until the batch capacity changes. */
        GpuBuffer scratch(String name, long bytes) {
            GpuBuffer b = gpu.buffer("cnnquant/" + kind + "/" + name, Math.max(4, bytes));
            perBatch.add(b);
            return b;
        }

        long inputBytes(int images) {
            return 4L * images * fanIn;
        }

        /** Extra per-batch buffers of a kind. */
        void allocate(int images) {
        }

        /** Records upload, dispatches (download added by the caller) for {@code images} inputs. */
        abstract void record(CommandSequence seq, float[] x, int images);

        @Override
        public void forward(float[] x, int images, float[] result) {
            if (images <= 0 || x.length < images * fanIn || result.length < images * outputs) {
                throw new IllegalArgumentException("forward of " + images + " images needs x of " + images * fanIn
                        + " and out of " + images * outputs + " floats, got " + x.length + " / " + result.length);
            }
            on(() -> {
                if (released) {
                    throw new IllegalStateException("cnnquant " + kind + " layer is closed");
                }
                if (images != capacity) {
                    freeBatch();
                    in = scratch("in", inputBytes(images));
                    out = scratch("out", 4L * images * outputs);
                    allocate(images);
                    seq = gpu.sequence("cnnquant/" + kind + "/forward");
                    perBatch.add(seq);
                    capacity = images;
                }
                seq.clear();
                record(seq, x, images);
                seq.record(Op.download(out, HostArray.of(result, 0, images * outputs))).eval();
                return null;
            });
        }

        private void freeBatch() {
            for (int i = perBatch.size() - 1; i >= 0; i--) {
                closeQuietly(perBatch.get(i));
            }
            perBatch.clear();
            capacity = 0;
        }

        /** Frees everything; runs on the GPU thread. */
        void release() {
            if (released) {
                return;
            }
            released = true;
            freeBatch();
            for (int i = owned.size() - 1; i >= 0; i--) {
                closeQuietly(owned.get(i));
            }
            owned.clear();
            layers.remove(this);
        }

        @Override
        public void close() {
            if (released || closed) {
                return;
            }
            on(() -> {
                release();
                return null;
            });
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
