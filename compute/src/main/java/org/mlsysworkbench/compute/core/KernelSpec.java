package org.mlsysworkbench.compute.core;

import java.util.Arrays;

/**
 * What a {@link ComputeKernel} is built from.
 *
 * @param shader            shader path under {@code shaders/} without extension, e.g. "core/scale_add"
 *                          (the build writes {@code shaders/core/scale_add.spv})
 * @param bindings          storage buffers at set 0, bindings 0..n-1
 * @param pushConstantBytes size of the push-constant block (multiple of 4, at most 128)
 * @param specConstants     int specialization constants by {@code constant_id} 0..n-1; by convention id 0
 *                          is the workgroup size ({@code layout(local_size_x_id = 0) in;})
 */
public record KernelSpec(String shader, int bindings, int pushConstantBytes, int[] specConstants) {

    public KernelSpec {
        if (bindings < 1 || pushConstantBytes < 0 || pushConstantBytes % 4 != 0 || pushConstantBytes > 128) {
            throw new IllegalArgumentException("kernel " + shader + ": bindings >= 1 and push constants a multiple"
                    + " of 4 up to 128 bytes expected, got " + bindings + " / " + pushConstantBytes);
        }
        specConstants = specConstants.clone();
    }

    public static KernelSpec of(String shader, int bindings, int pushConstantBytes, int... specConstants) {
        return new KernelSpec(shader, bindings, pushConstantBytes, specConstants);
    }

    @Override
    public int[] specConstants() {
        return specConstants.clone();
    }

    /** The workgroup size (spec constant 0), or 0 when none is given. */
    public int workgroupSize() {
        return specConstants.length == 0 ? 0 : specConstants[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelSpec k && k.shader.equals(shader) && k.bindings == bindings
                && k.pushConstantBytes == pushConstantBytes && Arrays.equals(k.specConstants, specConstants);
    }

    @Override
    public int hashCode() {
        return shader.hashCode() * 31 + Arrays.hashCode(specConstants);
    }

    @Override
    public String toString() {
        return shader + Arrays.toString(specConstants);
    }
}
