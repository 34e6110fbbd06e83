package org.mlsysworkbench.compute.core;

import java.util.List;

/**
 * One step of a {@link CommandSequence}. Operations hold references only, never resources: the buffers,
 * kernels and host arrays stay owned by whoever created them and must stay open until the sequence has
 * been evaluated.
 */
public sealed interface Op permits Op.Upload, Op.Download, Op.Dispatch, Op.Fill, Op.Copy, Op.Barrier {

    /** Host array -> buffer at {@code offsetBytes}. */
    record Upload(GpuBuffer target, long offsetBytes, HostArray source) implements Op {
    }

    /** Buffer at {@code offsetBytes} -> host array, filled when the sequence completes. */
    record Download(GpuBuffer source, long offsetBytes, HostArray target) implements Op {
    }

    /**
     * A dispatch of {@code kernel} over {@code grid}, binding {@code buffers} to 0..n-1 and
     * {@code pushConstants} (32-bit words; floats via {@link Op#bits(float)}).
     */
    record Dispatch(ComputeKernel kernel, Grid grid, int[] pushConstants, List<GpuBuffer> buffers, String label)
            implements Op {
    }

    /** Every 32-bit word of {@code target} set to {@code value}. */
    record Fill(GpuBuffer target, int value) implements Op {
    }

    /** {@code bytes} from the start of {@code source} to the start of {@code target}. */
    record Copy(GpuBuffer source, GpuBuffer target, long bytes) implements Op {
    }

    /**
     * A full compute/transfer memory barrier. Rarely needed: the sequence inserts one wherever a later
     * op touches a buffer an earlier op wrote (or writes one it read).
     */
    record Barrier(String hazard) implements Op {
    }

    static Upload upload(GpuBuffer target, HostArray source) {
        target.checkRange(0, source.bytes());
        return new Upload(target, 0, source);
    }

    static Upload upload(GpuBuffer target, float[] source) {
        return upload(target, HostArray.of(source));
    }

    static Upload upload(GpuBuffer target, int[] source) {
        return upload(target, HostArray.of(source));
    }

    static Download download(GpuBuffer source, HostArray target) {
        source.checkRange(0, target.bytes());
        return new Download(source, 0, target);
    }

    static Download download(GpuBuffer source, float[] target) {
        return download(source, HostArray.of(target));
    }

    static Download download(GpuBuffer source, int[] target) {
        return download(source, HostArray.of(target));
    }

    static Dispatch dispatch(ComputeKernel kernel, Grid grid, int[] pushConstants, GpuBuffer... buffers) {
        KernelSpec spec = kernel.spec();
        if (buffers.length != spec.bindings()) {
            throw new IllegalArgumentException(spec + " binds " + spec.bindings() + " buffers, got " + buffers.length);
        }
        if (pushConstants.length * 4 != spec.pushConstantBytes()) {
            throw new IllegalArgumentException(spec + " takes " + spec.pushConstantBytes()
                    + " bytes of push constants, got " + pushConstants.length * 4);
        }
        return new Dispatch(kernel, grid, pushConstants.clone(), List.of(buffers), spec.shader());
    }

    static Fill fill(GpuBuffer target, int value) {
        return new Fill(target, value);
    }

    static Copy copy(GpuBuffer source, GpuBuffer target, long bytes) {
        source.checkRange(0, bytes);
        target.checkRange(0, bytes);
        return new Copy(source, target, bytes);
    }

    static Barrier barrier(String hazard) {
        return new Barrier(hazard);
    }

    /** The raw bits of a float push constant. */
    static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }
}
