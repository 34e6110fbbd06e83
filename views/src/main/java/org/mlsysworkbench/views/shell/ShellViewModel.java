package org.mlsysworkbench.views.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.charts.RunColors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's state: settings (theme, backend, folders, recent files), the page shown, the backend in use
 * and the status line. No nodes; tests drive it without a toolkit. Every settings change is saved at once.
 */
public final class ShellViewModel {

    /** Page ids of the two shell pages; bench pages use their bench id. */
    public static final String HOME = "home";
    public static final String SYSTEM = "system";
    private static final String COLOR_KEY = "run.color.";
    private static final Logger LOG = LoggerFactory.getLogger(ShellViewModel.class);

    private final ShellContext context;
    private final SettingsStore store;
    private final RunColors colors = new RunColors();
    private final ReadOnlyObjectWrapper<Settings> settings = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper darkMode = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper page = new ReadOnlyStringWrapper(HOME);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");
    private final ReadOnlyStringWrapper backendText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper deviceText = new ReadOnlyStringWrapper();
    private final ObservableList<String> recentFiles = FXCollections.observableArrayList();
    private volatile Backend backend = Backend.cpu();

    public ShellViewModel(ShellContext context) {
        this.context = context;
        this.store = new SettingsStore(context.home());
        Settings loaded = store.load();
        settings.set(loaded);
        darkMode.set(loaded.dark());
        recentFiles.setAll(loaded.recentFiles());
        openBackend(loaded);
    }

    public ShellContext context() {
        return context;
    }

    public ReadOnlyObjectProperty<Settings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public Settings settings() {
        return settings.get();
    }

    public ReadOnlyBooleanProperty darkModeProperty() {
        return darkMode.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty pageProperty() {
        return page.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty backendTextProperty() {
        return backendText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceTextProperty() {
        return deviceText.getReadOnlyProperty();
    }

    /** Recent workspace files, newest first. */
    public ObservableList<String> recentFiles() {
        return FXCollections.unmodifiableObservableList(recentFiles);
    }

    public RunColors colors() {
        return colors;
    }

    /** The backend in use now; pages read it when a run starts. */
    public Backend backend() {
        return backend;
    }

    public Path runsDir() {
        String folder = settings().runsFolder();
        return folder.isBlank() ? context.home().resolve("runs") : Path.of(folder);
    }

    public void setStatus(String message) {
        status.set(message);
    }

    /** Shows page {@code id}: {@link #HOME}, {@link #SYSTEM} or a bench id. */
    public void navigate(String id) {
        if (!HOME.equals(id) && !SYSTEM.equals(id)) {
            context.bench(id);
        }
        page.set(id);
    }

    public void toggleTheme() {
        Settings s = settings();
        apply(s.withTheme(s.dark() ? Settings.LIGHT : Settings.DARK));
    }

    /**
     * Makes {@code s} the settings: saves them, switches the theme and, when the backend or device changed,
     * reopens the backend (falling back to the CPU with a status message when that fails).
     */
    public void apply(Settings s) {
        Settings old = settings();
        settings.set(s);
        darkMode.set(s.dark());
        recentFiles.setAll(s.recentFiles());
        if (!s.backend().equals(old.backend()) || !s.device().equals(old.device())) {
            openBackend(s);
        }
        save(s);
    }

    private void save(Settings s) {
        try {
            store.save(s);
        } catch (IOException e) {
            LOG.warn("could not save {}: {}", store.file(), e.getMessage());
            status.set("Settings not saved: " + e.getMessage());
        }
    }

    private void openBackend(Settings s) {
        Backend previous = backend;
        try {
            backend = context.backendOpener().apply(s.backend(), s.device());
        } catch (RuntimeException e) {
            LOG.warn("backend '{}' unavailable: {}", s.backend(), e.getMessage());
            backend = Backend.cpu();
            status.set("Backend '" + s.backend() + "' unavailable (" + e.getMessage() + "); using the CPU");
        }
        if (previous != backend && previous != Backend.cpu()) {
            previous.close();
        }
        backendText.set("Backend: " + backend.id() + (backend.functionalOnly() ? " (functional only)" : ""));
        deviceText.set("Device: " + backend.device().name());
    }

    /** Remembers a workspace file in the recent list (and the settings file). */
    public void rememberRecent(Path file) {
        apply(settings().withRecent(file.toAbsolutePath().normalize().toString()));
    }

    public void forgetRecent(String file) {
        apply(settings().withoutRecent(file));
    }

    /** The workspace of a page as it is now: config, view state (with run colour overrides), result. */
    public Workspace capture(BenchPage page) {
        Map<String, String> view = new LinkedHashMap<>(page.viewState());
        colors.overrides().forEach((run, slot) -> view.put(COLOR_KEY + run, Integer.toString(slot)));
        try {
            return new Workspace(Workspace.SCHEMA, page.benchId(), Json.MAPPER.readTree(page.configJson()), view,
                    page.resultSummary());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("page " + page.benchId() + " returned invalid config JSON", e);
        }
    }

    /**
     * Puts a workspace back into its page: config first (a bad one throws {@link ConfigException} and
     * changes nothing), then view state and run colours.
     */
    public void restore(Workspace w, BenchPage page) {
        if (!w.benchId().equals(page.benchId())) {
            throw new ConfigException("benchId", page.benchId() + ", got " + w.benchId());
        }
        page.loadConfigJson(w.config().toString());
        Map<String, String> view = new LinkedHashMap<>();
        w.viewState().forEach((k, v) -> {
            if (k.startsWith(COLOR_KEY)) {
                try {
                    colors.override(k.substring(COLOR_KEY.length()), Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    LOG.warn("ignoring run colour {}={}: not a palette slot", k, v);
                }
            } else {
                view.put(k, v);
            }
        });
        page.restoreViewState(view);
    }

    /** Closes the backend (app exit). */
    public void close() {
        if (backend != Backend.cpu()) {
            backend.close();
        }
    }
}
