package org.mlsysworkbench.compute.core;

/** A Vulkan call failed: carries the {@code VkResult} and what was being done. */
public final class VulkanException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int result;

    public VulkanException(String message, int result) {
        super(message);
        this.result = result;
    }

    /** The failing {@code VkResult} (negative), or 0 when the failure was not a Vulkan return code. */
    public int result() {
        return result;
    }
}
