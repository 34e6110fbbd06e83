package org.mlsysworkbench.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder the app owns: settings, logs, runs, recent files and unpacked native libraries.
 * {@code ~/.mlsys-workbench} unless {@code -Dworkbench.home=DIR} (tests point it at a temp folder).
 */
public final class WorkbenchHome {

    private WorkbenchHome() {
    }

    public static Path dir() {
        String override = System.getProperty("workbench.home");
        Path p = override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".mlsys-workbench");
        return p.toAbsolutePath();
    }

    /** A sub-folder of the home, created if missing. */
    public static Path subdir(String name) {
        Path p = dir().resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
        return p;
    }

    /**
     * Points LWJGL's and JavaFX's native-library extraction at folders under the home, unless the
     * user set them: the shared temp folder has failed for unusual user names and under anti-virus
     * software (LWJGL #790, #225, #856), and a packaged app must not depend on it. Call before either
     * library loads.
     */
    public static void claimNativeFolders() {
        if (System.getProperty("org.lwjgl.system.SharedLibraryExtractPath") == null) {
            System.setProperty("org.lwjgl.system.SharedLibraryExtractPath", dir().resolve("natives").toString());
        }
        if (System.getProperty("javafx.cachedir") == null) {
            System.setProperty("javafx.cachedir", dir().resolve("javafx-cache").toString());
        }
    }
}
