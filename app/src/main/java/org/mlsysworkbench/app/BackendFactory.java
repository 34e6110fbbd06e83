package org.mlsysworkbench.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.compute.core.VulkanDevices;
import org.mlsysworkbench.compute.kernels.VulkanBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and opens the backend: {@code cpu} (plain Java) or {@code vulkan} on the best device.
 * {@code auto} picks Vulkan only when the best device is a real GPU: on a machine whose only Vulkan
 * device is a CPU driver (lavapipe), plain Java is faster (DESIGN.md), so {@code auto} means CPU there;
 * {@code --backend vulkan} still forces it.
 */
public final class BackendFactory {

    private static final Logger LOG = LoggerFactory.getLogger(BackendFactory.class);

    /** The backend settings a user can choose. */
    public static final List<String> SETTINGS = List.of("auto", "cpu", "vulkan");

    private static VulkanBackend shared;
    private static boolean sharedTried;

    private BackendFactory() {
    }

    /**
     * Opens the backend named by {@code setting}; the caller closes it.
     *
     * @param deviceFilter a substring of the device name or driver, a type ("discrete", "cpu"), "lavapipe",
     *                     or the index printed by {@code devices}; null/blank for the best device
     * @throws ConfigException for an unknown setting, or "vulkan" when no Vulkan device can be opened
     */
    public static Backend create(String setting, String deviceFilter) {
        String s = setting == null ? "auto" : setting.toLowerCase(Locale.ROOT);
        switch (s) {
            case "cpu":
                return Backend.cpu();
            case "auto":
                Optional<DeviceInfo> best = VulkanDevices.best(deviceFilter);
                if (best.isPresent() && !best.get().isCpuDevice()) {
                    try {
                        return VulkanBackend.create(deviceFilter);
                    } catch (RuntimeException e) {
                        LOG.warn("Vulkan device {} could not be opened, using the CPU: {}", best.get().name(),
                                e.getMessage());
                    }
                }
                return Backend.cpu();
            case "vulkan":
                try {
                    return VulkanBackend.create(deviceFilter);
                } catch (RuntimeException e) {
                    throw new ConfigException("--backend", "vulkan: " + e.getMessage());
                }
            default:
                throw new ConfigException("--backend", "one of " + SETTINGS + ", got '" + setting + "'");
        }
    }

    /** Every device this machine offers: the plain-Java CPU first, then Vulkan devices, best first. */
    public static List<DeviceInfo> devices() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(DeviceInfo.javaCpu());
        all.addAll(VulkanDevices.list());
        return all;
    }

    /**
     * Every backend that can be opened here besides the CPU, for the Backends bench: the Vulkan backend on
     * the best device (lavapipe included, its rows marked functional-only), or nothing. It is opened once,
     * shared, and closed when the JVM exits.
     */
    public static synchronized List<Backend> available() {
        if (!sharedTried) {
            sharedTried = true;
            if (VulkanDevices.isAvailable()) {
                try {
                    shared = VulkanBackend.create(System.getProperty("workbench.device"));
                    VulkanBackend b = shared;
                    Runtime.getRuntime().addShutdownHook(new Thread(b::close, "workbench-gpu-shutdown"));
                } catch (RuntimeException e) {
                    LOG.warn("Vulkan backend unavailable for the Backends bench: {}", e.getMessage());
                }
            }
        }
        return shared == null ? List.of() : List.of(shared);
    }
}
