package org.mlsysworkbench.views.shell;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's settings, saved as {@code settings.json} in the workbench home. Immutable; the {@code with...}
 * methods return changed copies.
 *
 * @param schemaVersion layout version of this record
 * @param theme         "light" or "dark"
 * @param backend       backend setting: "auto", "cpu" or "vulkan"
 * @param device        substring of the device name to prefer, or "" for the best device
 * @param dataFolders   folders searched for data sets, in order
 * @param runsFolder    where run folders go; "" for {@code <home>/runs}
 * @param recentFiles   workspaces opened or saved lately, newest first (at most {@link #MAX_RECENT})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(int schemaVersion, String theme, String backend, String device, List<String> dataFolders,
                       String runsFolder, List<String> recentFiles) {

    public static final int SCHEMA = 1;
    public static final int MAX_RECENT = 10;
    public static final String LIGHT = "light";
    public static final String DARK = "dark";

    public Settings {
        theme = DARK.equals(theme) ? DARK : LIGHT;
        backend = backend == null || backend.isBlank() ? "auto" : backend;
        device = device == null ? "" : device;
        dataFolders = dataFolders == null ? List.of() : List.copyOf(dataFolders);
        runsFolder = runsFolder == null ? "" : runsFolder;
        recentFiles = recentFiles == null ? List.of() : List.copyOf(recentFiles);
    }

    public static Settings defaults() {
        return new Settings(SCHEMA, LIGHT, "auto", "", List.of(), "", List.of());
    }

    public boolean dark() {
        return DARK.equals(theme);
    }

    public Settings withTheme(String newTheme) {
        return new Settings(schemaVersion, newTheme, backend, device, dataFolders, runsFolder, recentFiles);
    }

    public Settings withBackend(String newBackend, String newDevice) {
        return new Settings(schemaVersion, theme, newBackend, newDevice, dataFolders, runsFolder, recentFiles);
    }

    public Settings withFolders(List<String> newDataFolders, String newRunsFolder) {
        return new Settings(schemaVersion, theme, backend, device, newDataFolders, newRunsFolder, recentFiles);
    }

    /** Puts {@code file} first in the recent list (removing an older entry of it), keeping at most ten. */
    public Settings withRecent(String file) {
        List<String> list = new ArrayList<>();
        list.add(file);
        for (String f : recentFiles) {
            if (!f.equals(file) && list.size() < MAX_RECENT) {
                list.add(f);
            }
        }
        return new Settings(schemaVersion, theme, backend, device, dataFolders, runsFolder, list);
    }

    public Settings withoutRecent(String file) {
        List<String> list = new ArrayList<>(recentFiles);
        list.remove(file);
        return new Settings(schemaVersion, theme, backend, device, dataFolders, runsFolder, list);
    }
}
