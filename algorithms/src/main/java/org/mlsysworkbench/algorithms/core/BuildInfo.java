package org.mlsysworkbench.algorithms.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The app version and git commit, filtered into {@code build.properties} by Maven. */
public final class BuildInfo {

    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves the values unknown; env.json says so
        }
        return p;
    }

    private static String get(String key) {
        String v = PROPS.getProperty(key, "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    public static String version() {
        return get("version");
    }

    /** Abbreviated commit id, with "-dirty" when the build had uncommitted changes. */
    public static String commit() {
        String c = get("commit");
        return "true".equals(get("dirty")) ? c + "-dirty" : c;
    }
}
