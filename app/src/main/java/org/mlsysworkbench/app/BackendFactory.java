package org.mlsysworkbench.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.DeviceInfo;

/**
 * Chooses and opens the backend: {@code cpu} (plain Java) or {@code vulkan} on the best device.
 * {@code auto} picks Vulkan only when the best device is a real GPU: on a machine whose only Vulkan
 * device is a CPU driver (lavapipe), plain Java is faster (DESIGN.md), so {@code auto} means CPU there.
 */
public final class BackendFactory {

    /** The backend settings a user can choose. */
    public static final List<String> SETTINGS = List.of("auto", "cpu", "vulkan");

    private BackendFactory() {
    }

    /**
     * Opens the backend named by {@code setting}.
     *
     * @param deviceFilter a substring of the device name, or null/blank for the best device
     * @throws ConfigException for an unknown setting, or "vulkan" when no Vulkan device can be opened
     */
    public static Backend create(String setting, String deviceFilter) {
        String s = setting == null ? "auto" : setting.toLowerCase(Locale.ROOT);
        switch (s) {
            case "cpu":
            case "auto":
                return Backend.cpu();
            case "vulkan":
                throw new ConfigException("--backend", "vulkan: no Vulkan runtime in this build");
            default:
                throw new ConfigException("--backend", "one of " + SETTINGS + ", got '" + setting + "'");
        }
    }

    /** Every device this machine offers: the plain-Java CPU first, then Vulkan devices. */
    public static List<DeviceInfo> devices() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(DeviceInfo.javaCpu());
        return all;
    }

    /** Every backend that can be opened here besides the CPU, for the Backends bench. */
    public static List<Backend> available() {
        return List.of();
    }
}
