package org.mlsysworkbench.views.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** Ctrl+Shift+P: type words of a command's title or id, Enter runs the selected one. */
final class CommandPalette extends StackPane {

    private final CommandRegistry registry;
    private final TextField query = new TextField();
    private final ListView<WorkbenchCommand> list = new ListView<>();

    CommandPalette(CommandRegistry registry) {
        this.registry = registry;
        setId("commandPalette");
        getStyleClass().add("overlay-backdrop");
        query.setId("paletteQuery");
        query.setPromptText("Type a command");
        list.setId("paletteList");
        list.setPrefSize(520, 300);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(WorkbenchCommand c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null
                        : c.title() + (c.shortcut().isEmpty() ? "" : "    " + c.shortcutText())
                                + "    [" + c.id() + "]");
            }
        });
        Label title = new Label("Command palette");
        title.getStyleClass().add("section-title");
        VBox card = new VBox(8, title, query, list);
        card.getStyleClass().add("overlay-card");
        card.setMaxSize(VBox.USE_PREF_SIZE, VBox.USE_PREF_SIZE);
        getChildren().add(card);
        StackPane.setAlignment(card, Pos.TOP_CENTER);
        setStyle("-fx-padding: 80 0 0 0;");
        query.textProperty().addListener((obs, was, now) -> filter());
        query.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN) {
                list.getSelectionModel().selectNext();
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                list.getSelectionModel().selectPrevious();
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER) {
                runSelected();
                e.consume();
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                runSelected();
            }
        });
        setVisible(false);
        visibleProperty().addListener((obs, was, now) -> {
            if (now) {
                query.clear();
                filter();
                query.requestFocus();
            }
        });
    }

    private void filter() {
        list.getItems().setAll(registry.search(query.getText()));
        list.getSelectionModel().selectFirst();
    }

    private void runSelected() {
        WorkbenchCommand c = list.getSelectionModel().getSelectedItem();
        setVisible(false);
        if (c != null) {
            registry.execute(c.id());
        }
    }
}
