package org.mlsysworkbench.compute.core;

/**
 * Workgroup counts of one dispatch. Devices cap each dimension (65,535 on lavapipe and many GPUs), so a
 * long 1-D range of groups is folded into 2-D: shaders compute the linear group id as
 * {@code gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x} and return when it is past the end
 * (the fold may add up to {@code x - 1} idle groups).
 */
public record Grid(int x, int y, int z) {

    public Grid {
        if (x < 0 || y < 0 || z < 0) {
            throw new IllegalArgumentException("negative workgroup count " + x + " x " + y + " x " + z);
        }
    }

    /** {@code groups} workgroups folded into x * y with each dimension within the device's limits. */
    public static Grid linear(long groups, GpuContext gpu) {
        return linear(groups, gpu.maxGroups(0), gpu.maxGroups(1));
    }

    static Grid linear(long groups, int maxX, int maxY) {
        if (groups <= maxX) {
            return new Grid((int) groups, 1, 1);
        }
        long y = (groups + maxX - 1) / maxX;
        if (y > maxY) {
            throw new IllegalArgumentException(groups + " workgroups exceed the device's " + maxX + " x " + maxY);
        }
        int x = (int) ((groups + y - 1) / y);
        return new Grid(x, (int) y, 1);
    }

    /** Groups of {@code perGroup} elements covering {@code elements}. */
    public static Grid forElements(long elements, long perGroup, GpuContext gpu) {
        return linear((elements + perGroup - 1) / perGroup, gpu);
    }

    /** Groups in total. */
    public long groups() {
        return (long) x * y * z;
    }
}
