package org.mlsysworkbench.app.gui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.stage.Stage;
import org.mlsysworkbench.algorithms.core.BuildInfo;
import org.mlsysworkbench.app.BackendFactory;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;
import org.mlsysworkbench.app.Examples;
import org.mlsysworkbench.app.WorkbenchHome;
import org.mlsysworkbench.views.shell.FxTaskRunner;
import org.mlsysworkbench.views.shell.MainWindow;
import org.mlsysworkbench.views.shell.ShellBench;
import org.mlsysworkbench.views.shell.ShellContext;
import org.mlsysworkbench.views.shell.ShellViewModel;

/** Wires the shell to the app's benches, examples and backends: the GUI's composition root. */
public final class GuiAssembly {

    public static final double WIDTH = 1360;
    public static final double HEIGHT = 860;

    private GuiAssembly() {
    }

    /** The shell's view of the registered benches (those with a page). */
    public static List<ShellBench> benches() {
        List<ShellBench> list = new ArrayList<>();
        for (Bench b : Benches.all()) {
            if (b.page() != null) {
                list.add(new ShellBench(b.id(), b.definition().title(), b.definition().summary(), b.icon(),
                        b.definition().examples(), b.page()));
            }
        }
        return list;
    }

    public static ShellContext context(Path home) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("MLSys Workbench", BuildInfo.version() + " (commit " + BuildInfo.commit() + ")");
        versions.put("AtlantaFX", implementationVersion(atlantafx.base.theme.PrimerLight.class, "2.0.1"));
        versions.put("ControlsFX", implementationVersion(org.controlsfx.control.StatusBar.class, "11.2.4"));
        versions.put("JFreeChart", implementationVersion(org.jfree.chart.JFreeChart.class, "1.5.6"));
        return new ShellContext(benches(), home, logFile(home),
                (benchId, name) -> Examples.load(Benches.byId(benchId).orElseThrow(), name),
                BackendFactory::devices, BackendFactory::create, BackendFactory.SETTINGS, versions);
    }

    /** The log file logback writes (see logback.xml): {@code <home>/logs/workbench.log}. */
    public static Path logFile(Path home) {
        return home.resolve("logs").resolve("workbench.log");
    }

    /** The workbench home of this process ({@code -Dworkbench.home}, else {@code ~/.mlsys-workbench}). */
    public static Path home() {
        return WorkbenchHome.dir();
    }

    private static String implementationVersion(Class<?> type, String pinned) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v == null ? pinned : v;
    }

    /** Builds the window into {@code stage} (not shown). The caller closes the returned runner on exit. */
    public static Assembled open(Stage stage, Path home) {
        FxTaskRunner tasks = new FxTaskRunner();
        ShellViewModel vm = new ShellViewModel(context(home));
        MainWindow window = new MainWindow(vm, tasks);
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        window.attach(stage, Math.min(WIDTH, screen.getWidth()), Math.min(HEIGHT, screen.getHeight()));
        return new Assembled(window, vm, tasks);
    }

    /** What {@link #open} built. */
    public record Assembled(MainWindow window, ShellViewModel viewModel, FxTaskRunner tasks) {
        public void close() {
            tasks.close();
            viewModel.close();
        }
    }
}
