package org.mlsysworkbench.views.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {

    @Test
    void commandsRunByIdAndPaletteSearchMatchesEveryWord() {
        List<String> ran = new ArrayList<>();
        CommandRegistry r = new CommandRegistry();
        r.register("app.run", "Run the current bench", "Shortcut+R", () -> ran.add("run"));
        r.register("app.toggle-theme", "Switch light / dark theme", "Shortcut+T", () -> ran.add("theme"));
        r.register("app.about", "About", "", () -> ran.add("about"));
        r.execute("app.toggle-theme");
        assertThat(ran).containsExactly("theme");
        assertThat(r.search("dark theme")).extracting(WorkbenchCommand::id).containsExactly("app.toggle-theme");
        assertThat(r.search("")).hasSize(3);
        assertThat(r.withShortcuts()).extracting(WorkbenchCommand::shortcutText).containsExactly("Ctrl+R", "Ctrl+T");
        assertThatThrownBy(() -> r.execute("app.nope")).hasMessageContaining("app.nope")
                .hasMessageContaining("app.run");
    }

    @Test
    void idsAndShortcutsAreUnique() {
        CommandRegistry r = new CommandRegistry();
        r.register("app.run", "Run", "Shortcut+R", () -> { });
        assertThatThrownBy(() -> r.register("app.run", "Again", "", () -> { })).hasMessageContaining("twice");
        assertThatThrownBy(() -> r.register("app.other", "Other", "shortcut+r", () -> { }))
                .hasMessageContaining("reuses");
        assertThatThrownBy(() -> r.register("Bad Id", "x", "", () -> { })).hasMessageContaining("group.verb");
    }
}
