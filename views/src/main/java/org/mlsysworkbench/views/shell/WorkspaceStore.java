package org.mlsysworkbench.views.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;

/** Reads and writes workspace files; errors name the file and what was wrong. */
public final class WorkspaceStore {

    private WorkspaceStore() {
    }

    public static void save(Workspace workspace, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, Json.write(workspace), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @throws ConfigException naming the file (and line/field) when it is not a workspace */
    public static Workspace load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "file not found");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        Workspace w = Json.read(text, Workspace.class, file.toString());
        if (w.benchId() == null || w.benchId().isBlank()) {
            throw new ConfigException(file + ": benchId", "a bench id, e.g. \"backends\"");
        }
        if (w.config() == null || !w.config().isObject()) {
            throw new ConfigException(file + ": config", "a JSON object with the bench's config");
        }
        if (w.schemaVersion() != Workspace.SCHEMA) {
            throw new ConfigException(file + ": schemaVersion", Workspace.SCHEMA + ", got " + w.schemaVersion());
        }
        return w;
    }

    /** True when the text looks like a workspace (has "benchId" and "config"), not a bare config. */
    public static boolean isWorkspace(String json) {
        try {
            var node = Json.MAPPER.readTree(json);
            return node != null && node.has("benchId") && node.has("config");
        } catch (IOException e) {
            return false;
        }
    }
}
