package org.mlsysworkbench.compute.core;

import static org.lwjgl.vulkan.VK10.vkDestroyInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VkInstance;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vulkan devices of this machine as plain-Java {@link DeviceInfo}s, for the {@code devices} command,
 * the System page and the choice of the default backend. Thread-safe; never throws.
 */
public final class VulkanDevices {

    private static final Logger LOG = LoggerFactory.getLogger(VulkanDevices.class);
    private static volatile String loaderError;

    private VulkanDevices() {
    }

    /**
     * Every physical device, best first by the ranking of {@link GpuContext} (discrete > integrated >
     * virtual > CPU; unusable devices last, with {@code properties.usable = "no: why"}). Empty when no
     * Vulkan loader or driver is installed.
     */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> out = new ArrayList<>();
        try {
            if (!loaderPresent()) {
                return out;
            }
            VkInstance instance = Instances.create("mlsys-workbench devices", false, false);
            try {
                for (DeviceProbe.Candidate c : DeviceProbe.probe(instance)) {
                    out.add(c.info);
                }
            } finally {
                vkDestroyInstance(instance, null);
            }
        } catch (Throwable t) {
            LOG.info("No Vulkan devices: {}", t.toString());
            out.clear();
        }
        return out;
    }

    /** The device {@link GpuContext} would open for this filter (blank: the best), if any is usable. */
    public static Optional<DeviceInfo> best(String filter) {
        for (DeviceInfo d : list()) {
            if (d.properties().getOrDefault("usable", "").equals("yes") && matches(d, filter)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** True when a Vulkan loader and at least one usable device exist. Never throws. */
    public static boolean isAvailable() {
        return best(null).isPresent();
    }

    /** Why Vulkan could not be loaded, or null. */
    public static String loaderError() {
        return loaderError;
    }

    static boolean matches(DeviceInfo d, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String f = filter.strip().toLowerCase(java.util.Locale.ROOT);
        String hay = (d.name() + " " + d.driver() + " " + d.type()).toLowerCase(java.util.Locale.ROOT);
        return hay.contains(f) || f.equals(d.properties().get("index"))
                || "lavapipe".equals(f) && hay.contains("llvmpipe");
    }

    /** Loads libvulkan through LWJGL once; false (with the reason logged) when it is missing. */
    static synchronized boolean loaderPresent() {
        Natives.configure();
        try {
            VK.getFunctionProvider();
            return true;
        } catch (Throwable t) {
            loaderError = t.toString();
            LOG.info("Vulkan loader not available: {}", t.toString());
            return false;
        }
    }
}
