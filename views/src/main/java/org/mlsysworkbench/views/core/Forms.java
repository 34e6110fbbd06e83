package org.mlsysworkbench.views.core;

import atlantafx.base.theme.Styles;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/** Small builders shared by bench pages: bound text fields, Run/Cancel rows, table columns with units. */
public final class Forms {

    private Forms() {
    }

    /** A text field bound both ways to {@code property}, with an id for tests and a tooltip. */
    public static TextField field(String id, StringProperty property, String tooltip) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(property);
        f.setPrefColumnCount(14);
        if (tooltip != null) {
            f.setTooltip(new Tooltip(tooltip));
        }
        return f;
    }

    /** Run and Cancel buttons; Run is disabled while running or while the config is invalid. */
    public static HBox runButtons(String idPrefix, ObservableBooleanValue running, ObservableBooleanValue invalid,
                                  Runnable run, Runnable cancel) {
        Button r = new Button("Run");
        r.setId(idPrefix + "Run");
        r.getStyleClass().add(Styles.ACCENT);
        r.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> running.get() || invalid.get(), running, invalid));
        r.setOnAction(e -> run.run());
        Button c = new Button("Cancel");
        c.setId(idPrefix + "Cancel");
        c.disableProperty().bind(javafx.beans.binding.Bindings.not(running));
        c.setOnAction(e -> cancel.run());
        return new HBox(8, r, c);
    }

    /** A wrapped, muted explanatory label. */
    public static Label note(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("muted");
        return l;
    }

    public static <T> TableColumn<T, String> text(String name, Function<T, String> f) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
        return c;
    }

    public static <T> TableColumn<T, Double> number(String name, Function<T, Double> f, String format) {
        TableColumn<T, Double> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(f.apply(cell.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, format, v));
            }
        });
        return c;
    }
}
