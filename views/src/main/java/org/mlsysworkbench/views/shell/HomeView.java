package org.mlsysworkbench.views.shell;

import atlantafx.base.theme.Styles;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** Home: the example gallery (one card per bench, one button per example) and the recent workspaces. */
final class HomeView extends ScrollPane {

    private final VBox recent = new VBox(4);

    HomeView(ShellViewModel vm, BiConsumer<String, String> openExample, Consumer<Path> openRecent) {
        setId("homePage");
        setFitToWidth(true);
        Label title = new Label("MLSys Workbench");
        title.getStyleClass().add(Styles.TITLE_2);
        Label subtitle = new Label("Run, see and measure the efficiency techniques of ML-systems papers. "
                + "Pick an example to get a populated chart, or drop a workspace file anywhere in the window.");
        subtitle.setWrapText(true);
        subtitle.getStyleClass().add("muted");

        Label examplesTitle = new Label("Examples");
        examplesTitle.getStyleClass().add("section-title");
        FlowPane gallery = new FlowPane(12, 12);
        gallery.setId("exampleGallery");
        for (ShellBench b : vm.context().benches()) {
            Label name = new Label(b.icon() + "  " + b.title());
            name.getStyleClass().add(Styles.TITLE_4);
            Label summary = new Label(b.summary());
            summary.setWrapText(true);
            // wraps instead of clipping example names to "..." when a bench ships many examples
            FlowPane buttons = new FlowPane(6, 6);
            for (String example : b.examples()) {
                Button open = new Button(example);
                open.setId("example-" + b.id() + "-" + example);
                open.setOnAction(e -> openExample.accept(b.id(), example));
                if ("default".equals(example)) {
                    open.getStyleClass().add(Styles.ACCENT);
                }
                buttons.getChildren().add(open);
            }
            VBox card = new VBox(name, summary, buttons);
            card.getStyleClass().add("gallery-card");
            gallery.getChildren().add(card);
        }
        if (vm.context().benches().isEmpty()) {
            gallery.getChildren().add(new Label("No benches are registered in this build."));
        }

        Label recentTitle = new Label("Recent workspaces");
        recentTitle.getStyleClass().add("section-title");
        recent.setId("recentList");
        fillRecent(vm, openRecent);
        vm.recentFiles().addListener((ListChangeListener<String>) c -> fillRecent(vm, openRecent));

        VBox page = new VBox(6, title, subtitle, examplesTitle, gallery, recentTitle, recent);
        page.getStyleClass().add("page");
        setContent(page);
    }

    private void fillRecent(ShellViewModel vm, Consumer<Path> openRecent) {
        recent.getChildren().clear();
        if (vm.recentFiles().isEmpty()) {
            Label none = new Label("None yet. Save a workspace (Ctrl+S) and it appears here.");
            none.getStyleClass().add("muted");
            recent.getChildren().add(none);
            return;
        }
        for (String f : vm.recentFiles()) {
            Hyperlink link = new Hyperlink(f);
            link.setOnAction(e -> openRecent.accept(Path.of(f)));
            recent.getChildren().add(link);
        }
    }
}
