package org.mlsysworkbench.compute.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.core.VulkanDevices;

/**
 * The one way GPU tests decide whether to run (shipped in the compute test-jar for render, views and
 * app tests). Tag such tests {@code @Tag("gpu")}.
 *
 * <ul>
 *   <li>{@code requireDevice()} skips the test when no Vulkan device exists, and FAILS it instead when
 *       {@code -Dworkbench.requireGpu=true} (CI on lavapipe: GPU tests must not silently skip);</li>
 *   <li>{@code -Dworkbench.requireHardwareGpu=true} also fails when the chosen device is CPU-type
 *       (lavapipe), for runs on real GPUs;</li>
 *   <li>{@code -Dworkbench.device=NAME} picks the device as in the app.</li>
 * </ul>
 */
public final class GpuTests {

    private GpuTests() {
    }

    /** The Vulkan device tests will use; skips or fails as described in the class comment. */
    public static DeviceInfo requireDevice() {
        String filter = System.getProperty("workbench.device");
        Optional<DeviceInfo> best = VulkanDevices.best(filter);
        if (best.isEmpty()) {
            String why = "no usable Vulkan device" + (filter == null ? "" : " matching '" + filter + "'")
                    + (VulkanDevices.loaderError() == null ? "" : " (" + VulkanDevices.loaderError() + ")");
            if (Boolean.getBoolean("workbench.requireGpu") || Boolean.getBoolean("workbench.requireHardwareGpu")) {
                Assertions.fail(why + ", but -Dworkbench.requireGpu=true: install libvulkan1 and mesa-vulkan-drivers"
                        + " (lavapipe) or a GPU driver");
            }
            Assumptions.abort(why);
        }
        if (Boolean.getBoolean("workbench.requireHardwareGpu") && best.get().isCpuDevice()) {
            Assertions.fail("-Dworkbench.requireHardwareGpu=true but the Vulkan device is CPU-type: "
                    + best.get().name() + " (is the GPU driver's ICD visible? in containers set"
                    + " NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics)");
        }
        return best.get();
    }

    /** {@link #requireDevice()}, then a context with the test options (validation on in Maven tests). */
    public static GpuContext openContext() {
        requireDevice();
        return GpuContext.create();
    }

    /** A context that always copies through staging buffers, as on a discrete GPU. */
    public static GpuContext openStagingContext() {
        requireDevice();
        return GpuContext.create(GpuContext.Options.fromSystemProperties().withForceStaging(true));
    }

    /** Closes {@code gpu} and fails on any LEAK or validation error. Safe with null. */
    public static void closeClean(GpuContext gpu) {
        if (gpu == null) {
            return;
        }
        gpu.close();
        assertEquals(java.util.List.of(), gpu.leaks(), "children still open when the context closed (LEAK)");
        assertEquals(java.util.List.of(), gpu.validationErrors(), "Vulkan validation errors");
    }
}
