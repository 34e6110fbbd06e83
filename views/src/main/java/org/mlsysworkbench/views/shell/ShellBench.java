package org.mlsysworkbench.views.shell;

import java.util.List;
import org.mlsysworkbench.views.core.BenchPageFactory;

/**
 * A bench as the shell sees it: the app turns each registered {@code Bench} into one of these. The shell
 * knows nothing else about benches.
 *
 * @param id       bench id
 * @param title    navigation and gallery title
 * @param summary  one sentence for the gallery
 * @param icon     a short glyph shown in the navigation
 * @param examples example config names ({@code default} first)
 * @param page     creates the bench's page
 */
public record ShellBench(String id, String title, String summary, String icon, List<String> examples,
                         BenchPageFactory page) {

    public ShellBench {
        examples = List.copyOf(examples);
    }
}
