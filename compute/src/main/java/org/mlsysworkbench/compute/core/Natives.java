package org.mlsysworkbench.compute.core;

import java.nio.file.Path;
import org.lwjgl.system.Configuration;

/**
 * Where LWJGL unpacks its native libraries. Automatic extraction into one shared temp folder fails for
 * unusual user names, under anti-virus software and for parallel jobs (LWJGL #790, #225, #856), so the
 * app extracts into a per-user cache folder it owns, unless {@code org.lwjgl.system.SharedLibraryExtractPath}
 * is already set (tests set it to the build directory, the gpu-check bundle to its own folder).
 */
final class Natives {

    private static boolean configured;

    private Natives() {
    }

    static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        if (System.getProperty("org.lwjgl.system.SharedLibraryExtractPath") != null) {
            return;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        Configuration.SHARED_LIBRARY_EXTRACT_PATH.set(
                cache.resolve("mlsys-workbench").resolve("lwjgl-natives").toString());
    }
}
