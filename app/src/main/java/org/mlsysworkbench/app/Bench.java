package org.mlsysworkbench.app;

import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.views.core.BenchPageFactory;

/**
 * A registered bench: its headless definition (CLI {@code run}) paired with its GUI page.
 *
 * @param icon an Ikonli-free glyph: a short text or emoji-free symbol shown in the navigation
 */
public record Bench(BenchDefinition<?, ?> definition, BenchPageFactory page, String icon) {

    public String id() {
        return definition.id();
    }
}
