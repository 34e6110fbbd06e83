package org.mlsysworkbench.views.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to reopen a bench as it was, saved as one JSON file: which bench, its config, the
 * page's view state and a summary of its last result.
 *
 * @param schemaVersion layout version of this record
 * @param benchId       the bench ({@code BenchDefinition.id()})
 * @param config        the bench's config, as JSON (the same document {@code run --config} reads)
 * @param viewState     page view state ({@code BenchPage.viewState()}), plus the shell's {@code run.color.*}
 * @param resultSummary the last result in a few named values ({@code BenchPage.resultSummary()})
 */
public record Workspace(int schemaVersion, String benchId, JsonNode config, Map<String, String> viewState,
                        Map<String, String> resultSummary) {

    public static final int SCHEMA = 1;

    public Workspace {
        viewState = viewState == null ? Map.of() : new TreeMap<>(viewState);
        resultSummary = resultSummary == null ? Map.of() : new TreeMap<>(resultSummary);
    }
}
