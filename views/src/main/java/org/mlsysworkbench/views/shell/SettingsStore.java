package org.mlsysworkbench.views.shell;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.mlsysworkbench.algorithms.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code <home>/settings.json}. A missing file gives the defaults; an unreadable one is
 * kept as {@code settings.json.bad} (the user's data is never overwritten silently) and the defaults are
 * used, with a warning in the log. Writes go through a temporary file and an atomic move.
 */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    /** Settings written by a newer version may have fields this one does not know: ignore them. */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path file;

    public SettingsStore(Path home) {
        this.file = home.resolve("settings.json");
    }

    public Path file() {
        return file;
    }

    public Settings load() {
        if (!Files.exists(file)) {
            return Settings.defaults();
        }
        try {
            Settings s = MAPPER.readValue(file.toFile(), Settings.class);
            return s == null ? Settings.defaults() : s;
        } catch (IOException e) {
            Path bad = file.resolveSibling("settings.json.bad");
            LOG.warn("{} is not valid settings ({}); kept it as {} and started with defaults",
                    file, e.getMessage(), bad);
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("could not rename {}: {}", file, moveFailed.getMessage());
            }
            return Settings.defaults();
        }
    }

    public void save(Settings settings) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("settings.json.tmp");
        Files.writeString(tmp, MAPPER.writeValueAsString(settings) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
