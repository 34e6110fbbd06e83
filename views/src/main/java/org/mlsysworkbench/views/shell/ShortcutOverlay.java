package org.mlsysworkbench.views.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The {@code ?} overlay: every command with a shortcut, generated from the registry each time it opens. */
final class ShortcutOverlay extends StackPane {

    private final CommandRegistry registry;
    private final GridPane grid = new GridPane();

    ShortcutOverlay(CommandRegistry registry) {
        this.registry = registry;
        setId("shortcutOverlay");
        getStyleClass().add("overlay-backdrop");
        Label title = new Label("Keyboard shortcuts");
        title.getStyleClass().add("section-title");
        Label hint = new Label("Press ? or Esc to close. Ctrl+Shift+P opens the command palette.");
        hint.getStyleClass().add("muted");
        grid.setHgap(16);
        grid.setVgap(6);
        VBox card = new VBox(8, title, grid, hint);
        card.getStyleClass().add("overlay-card");
        card.setMaxSize(VBox.USE_PREF_SIZE, VBox.USE_PREF_SIZE);
        getChildren().add(card);
        StackPane.setAlignment(card, Pos.CENTER);
        setOnMouseClicked(e -> setVisible(false));
        setVisible(false);
        visibleProperty().addListener((obs, was, now) -> {
            if (now) {
                rebuild();
            }
        });
    }

    private void rebuild() {
        grid.getChildren().clear();
        int row = 0;
        for (WorkbenchCommand c : registry.withShortcuts()) {
            Label key = new Label(c.shortcutText());
            key.getStyleClass().add("shortcut-key");
            Label what = new Label(c.title());
            Label id = new Label(c.id());
            id.getStyleClass().add("muted");
            grid.addRow(row++, key, what, id);
        }
    }

    /** The shortcut labels shown now (for tests). */
    java.util.List<String> shownShortcuts() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        grid.getChildren().forEach(n -> {
            if (n.getStyleClass().contains("shortcut-key")) {
                keys.add(((Label) n).getText());
            }
        });
        return keys;
    }
}
