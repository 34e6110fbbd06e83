package org.mlsysworkbench.algorithms.core;

import java.util.Map;

/**
 * A compute device as the rest of the app sees it, without any Vulkan type.
 *
 * @param name        device name ("llvmpipe (LLVM 15.0.6, 256 bits)", "NVIDIA H100", "CPU (2 cores)")
 * @param type        "discrete", "integrated", "virtual", "cpu" or "java"
 * @param driver      driver name and version, or the JVM for the plain-Java backend
 * @param apiVersion  Vulkan API version ("1.3.230"), or "-" for plain Java
 * @param properties  further facts for the System page and {@code devices} (limits, heaps, subgroup size)
 */
public record DeviceInfo(String name, String type, String driver, String apiVersion, Map<String, String> properties) {

    public DeviceInfo {
        properties = Map.copyOf(properties);
    }

    /** True for a software device (lavapipe) or plain Java: its timings are functional only. */
    public boolean isCpuDevice() {
        return "cpu".equals(type) || "java".equals(type);
    }

    /** The plain-Java device of this machine. */
    public static DeviceInfo javaCpu() {
        Runtime rt = Runtime.getRuntime();
        return new DeviceInfo("CPU (" + rt.availableProcessors() + " cores, plain Java)", "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), "-",
                Map.of("cores", Integer.toString(rt.availableProcessors()),
                        "maxHeapBytes", Long.toString(rt.maxMemory()),
                        "arch", System.getProperty("os.arch")));
    }
}
