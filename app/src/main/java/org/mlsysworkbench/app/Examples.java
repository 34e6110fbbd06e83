package org.mlsysworkbench.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mlsysworkbench.algorithms.core.ConfigException;

/** The example configs shipped under {@code samples/<bench>/<name>.json} (packaged into the app jar). */
public final class Examples {

    private Examples() {
    }

    /** The JSON text of an example, or a {@link ConfigException} naming the example and the known ones. */
    public static String load(Bench bench, String name) {
        String path = "/samples/" + bench.id() + "/" + name + ".json";
        try (InputStream in = Examples.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new ConfigException("--example", "'" + name + "' is not an example of " + bench.id()
                        + "; known: " + bench.definition().examples());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(path, "cannot read: " + e.getMessage(), e);
        }
    }
}
