package org.mlsysworkbench.views.shell;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.mlsysworkbench.algorithms.core.DeviceInfo;

/** Theme, backend, device and folders. OK returns the edited settings; Cancel returns nothing. */
public final class SettingsDialog extends Dialog<Settings> {

    public SettingsDialog(Settings current, List<String> backendSettings, List<DeviceInfo> devices) {
        setTitle("Settings");
        setHeaderText("Settings are saved in settings.json of the workbench home.");
        getDialogPane().setId("settingsDialog");
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);

        ChoiceBox<String> theme = new ChoiceBox<>(FXCollections.observableArrayList(Settings.LIGHT, Settings.DARK));
        theme.setId("themeChoice");
        theme.setValue(current.theme());
        ChoiceBox<String> backend = new ChoiceBox<>(FXCollections.observableArrayList(backendSettings));
        backend.setId("backendChoice");
        backend.setValue(current.backend());
        List<String> deviceNames = new ArrayList<>();
        deviceNames.add("");
        devices.forEach(d -> deviceNames.add(d.name()));
        ComboBox<String> device = new ComboBox<>(FXCollections.observableArrayList(deviceNames));
        device.setId("deviceChoice");
        device.setEditable(true);
        device.setValue(current.device());
        device.setPromptText("best device");
        device.setPrefWidth(360);
        TextArea dataFolders = new TextArea(String.join("\n", current.dataFolders()));
        dataFolders.setId("dataFolders");
        dataFolders.setPrefRowCount(3);
        dataFolders.setPromptText("one folder per line");
        TextField runsFolder = new TextField(current.runsFolder());
        runsFolder.setId("runsFolder");
        runsFolder.setPromptText("<workbench home>/runs");

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);   // labels never truncate
        grid.getColumnConstraints().addAll(labels, new javafx.scene.layout.ColumnConstraints());
        grid.addRow(0, new Label("Theme"), theme);
        grid.addRow(1, new Label("Backend"), backend);
        grid.addRow(2, new Label("Device (name contains)"), device);
        grid.addRow(3, new Label("Data folders"), dataFolders);
        grid.addRow(4, new Label("Runs folder"), runsFolder);
        getDialogPane().setContent(grid);

        setResultConverter(button -> {
            if (button != ButtonType.OK) {
                return null;
            }
            List<String> folders = new ArrayList<>();
            for (String line : dataFolders.getText().split("\\R")) {
                if (!line.isBlank()) {
                    folders.add(line.trim());
                }
            }
            String dev = device.getEditor().getText() == null ? "" : device.getEditor().getText().trim();
            return current.withTheme(theme.getValue()).withBackend(backend.getValue(), dev)
                    .withFolders(folders, runsFolder.getText().trim());
        });
    }
}
