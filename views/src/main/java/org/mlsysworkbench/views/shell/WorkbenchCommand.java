package org.mlsysworkbench.views.shell;

/**
 * An action of the app with a stable id ({@code app.run}, {@code nav.home}, ...) that shortcuts, the menu,
 * the command palette, the {@code ?} overlay and scripts all refer to. Ids never change meaning.
 *
 * @param id       stable id, {@code <group>.<verb>[-<object>]}
 * @param title    what the user reads
 * @param shortcut key combination in JavaFX syntax ({@code Shortcut+R}, {@code Esc}, {@code ?}), or "" for none
 * @param action   what it does; runs on the FX thread
 */
public record WorkbenchCommand(String id, String title, String shortcut, Runnable action) {

    public WorkbenchCommand {
        if (!id.matches("[a-z]+(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("command id must look like group.verb: " + id);
        }
        shortcut = shortcut == null ? "" : shortcut;
    }

    /** The shortcut as people read it: {@code Ctrl+Shift+P}, {@code Esc}, {@code ?}. */
    public String shortcutText() {
        return shortcut.replace("Shortcut+", "Ctrl+");
    }
}
