package org.mlsysworkbench.views.core;

import java.util.List;
import java.util.Map;
import javafx.scene.Node;

/**
 * One bench's page in the workbench window. The shell shows {@link #node()}, routes the toolbar's
 * Run and Cancel to it, saves {@link #configJson()} and {@link #viewState()} into workspaces, and
 * exports {@link #charts()} with "Export all charts". Created and used on the FX thread only; all
 * computation goes through {@link WorkbenchServices#tasks()}.
 */
public interface BenchPage {

    /** The bench id this page belongs to ({@code BenchDefinition.id()}). */
    String benchId();

    /** The page's root node; created once. */
    Node node();

    /** Starts a run of the page's current config (toolbar Run, Ctrl+R). */
    void run();

    /** Cancels the page's running work, if any (toolbar Cancel, Esc). */
    void cancel();

    /** The config the page would run now, as JSON (for "Copy as command" and workspaces). */
    String configJson();

    /**
     * Replaces the page's config (Open example, workspace load).
     *
     * @throws org.mlsysworkbench.algorithms.core.ConfigException when the JSON is not a valid config;
     *         the page keeps its previous config then
     */
    void loadConfigJson(String json);

    /** View state worth restoring (selected tab, slider positions), as strings; empty by default. */
    default Map<String, String> viewState() {
        return Map.of();
    }

    /** Restores what {@link #viewState()} returned; unknown keys are ignored. */
    default void restoreViewState(Map<String, String> state) {
    }

    /**
     * The last result in a few named values ({@code "rows" -> "27"}), saved in workspaces beside the
     * config; empty when nothing ran yet.
     */
    default Map<String, String> resultSummary() {
        return Map.of();
    }

    /** The charts on this page, for "Export all charts"; empty by default. */
    default List<ExportableChart> charts() {
        return List.of();
    }
}
