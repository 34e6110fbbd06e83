package org.mlsysworkbench.algorithms.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;

/**
 * Provenance of a run, written as {@code env.json} next to every result (FEATURES F23).
 * Runs on a CPU-type Vulkan device (lavapipe) are marked {@code functionalOnly}: their timings say
 * nothing about GPU speed.
 */
public record EnvInfo(String appVersion, String gitCommit, String os, String jvm, int cores, long maxHeapBytes,
                      String backend, String deviceName, String deviceType, String driver, String vulkanApiVersion,
                      boolean functionalOnly, String bench, String configSha256) {

    /** Describes this process and backend for a run of {@code bench} with the given config JSON. */
    public static EnvInfo capture(Backend backend, String bench, String configJson) {
        DeviceInfo d = backend.device();
        return new EnvInfo(BuildInfo.version(), BuildInfo.commit(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                backend.id(), d.name(), d.type(), d.driver(), d.apiVersion(), backend.functionalOnly(),
                bench, sha256(configJson));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
