package org.mlsysworkbench.compute.core;

import static org.lwjgl.vulkan.VK10.*;

/** Checks every {@code VkResult} and names it (STYLE rule 9). Stateless, thread-safe. */
public final class Vk {

    private Vk() {
    }

    /**
     * Throws {@link VulkanException} when {@code result} is an error code (negative).
     *
     * @param what the call and its object, e.g. "vkCreateBuffer for core/saxpy/x"
     * @return the non-error result (VK_SUCCESS, VK_TIMEOUT, VK_INCOMPLETE ...) for calls that care
     */
    public static int check(int result, String what) {
        if (result < 0) {
            throw new VulkanException(what + " failed: " + name(result) + " (" + result + ")", result);
        }
        return result;
    }

    /** The symbolic name of a {@code VkResult}. */
    public static String name(int result) {
        switch (result) {
            case VK_SUCCESS: return "VK_SUCCESS";
            case VK_NOT_READY: return "VK_NOT_READY";
            case VK_TIMEOUT: return "VK_TIMEOUT";
            case VK_EVENT_SET: return "VK_EVENT_SET";
            case VK_EVENT_RESET: return "VK_EVENT_RESET";
            case VK_INCOMPLETE: return "VK_INCOMPLETE";
            case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
            case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
            case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
            case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
            case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
            case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
            case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
            case VK_ERROR_INCOMPATIBLE_DRIVER:
                return "VK_ERROR_INCOMPATIBLE_DRIVER (no usable Vulkan driver: install mesa-vulkan-drivers or a GPU"
                        + " driver, check VK_DRIVER_FILES)";
            case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
            case VK_ERROR_FORMAT_NOT_SUPPORTED: return "VK_ERROR_FORMAT_NOT_SUPPORTED";
            case VK_ERROR_FRAGMENTED_POOL: return "VK_ERROR_FRAGMENTED_POOL";
            case VK_ERROR_UNKNOWN: return "VK_ERROR_UNKNOWN";
            case -1000069000: return "VK_ERROR_OUT_OF_POOL_MEMORY";
            case -1000072003: return "VK_ERROR_INVALID_EXTERNAL_HANDLE";
            case -1000161000: return "VK_ERROR_FRAGMENTATION";
            case -1000257000: return "VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS";
            default: return "VkResult " + result;
        }
    }

    /** "major.minor.patch" of a packed Vulkan version. */
    public static String version(int packed) {
        return (packed >>> 22 & 0x7F) + "." + (packed >>> 12 & 0x3FF) + "." + (packed & 0xFFF);
    }
}
