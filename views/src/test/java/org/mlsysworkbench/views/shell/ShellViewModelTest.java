package org.mlsysworkbench.views.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.views.core.BenchPage;

/** The shell's state without a toolkit: settings persistence, theme, backend fallback, workspaces. */
class ShellViewModelTest {

    @TempDir
    Path home;

    static ShellContext context(Path home) {
        return new ShellContext(List.of(new ShellBench("fake", "Fake", "A test bench.", "F", List.of("default"),
                services -> new FakePage())), home, home.resolve("logs/workbench.log"),
                (bench, name) -> "{\"n\": 1}", () -> List.of(DeviceInfo.javaCpu()),
                (setting, device) -> {
                    if ("vulkan".equals(setting)) {
                        throw new ConfigException("backend", "vulkan: no device");
                    }
                    return Backend.cpu();
                }, List.of("auto", "cpu", "vulkan"), Map.of("MLSys Workbench", "test"));
    }

    @Test
    void themeTogglePersistsAcrossInstances() {
        ShellViewModel vm = new ShellViewModel(context(home));
        assertThat(vm.darkModeProperty().get()).isFalse();
        vm.toggleTheme();
        assertThat(vm.darkModeProperty().get()).isTrue();
        assertThat(Files.exists(home.resolve("settings.json"))).isTrue();
        assertThat(new ShellViewModel(context(home)).darkModeProperty().get()).isTrue();
    }

    @Test
    void corruptSettingsAreKeptAsideAndDefaultsUsed() throws Exception {
        Files.writeString(home.resolve("settings.json"), "{ not json");
        ShellViewModel vm = new ShellViewModel(context(home));
        assertThat(vm.settings()).isEqualTo(Settings.defaults());
        assertThat(Files.readString(home.resolve("settings.json.bad"))).isEqualTo("{ not json");
    }

    @Test
    void anUnavailableBackendFallsBackToTheCpuWithAMessage() {
        ShellViewModel vm = new ShellViewModel(context(home));
        vm.apply(vm.settings().withBackend("vulkan", ""));
        assertThat(vm.backend()).isSameAs(Backend.cpu());
        assertThat(vm.statusProperty().get()).contains("vulkan").contains("using the CPU");
        assertThat(vm.settings().backend()).isEqualTo("vulkan");   // the choice is kept for the next start
    }

    @Test
    void recentFilesAreNewestFirstWithoutDuplicatesAndCapped() {
        ShellViewModel vm = new ShellViewModel(context(home));
        for (int i = 0; i < 12; i++) {
            vm.rememberRecent(home.resolve("w" + i + ".json"));
        }
        vm.rememberRecent(home.resolve("w5.json"));
        assertThat(vm.recentFiles()).hasSize(Settings.MAX_RECENT);
        assertThat(vm.recentFiles().get(0)).endsWith("w5.json");
        assertThat(vm.recentFiles()).doesNotHaveDuplicates();
        assertThat(new ShellViewModel(context(home)).recentFiles()).containsExactlyElementsOf(vm.recentFiles());
    }

    @Test
    void navigationRejectsUnknownPages() {
        ShellViewModel vm = new ShellViewModel(context(home));
        vm.navigate("fake");
        assertThat(vm.pageProperty().get()).isEqualTo("fake");
        assertThatThrownBy(() -> vm.navigate("nope")).hasMessageContaining("nope");
    }

    @Test
    void workspaceRoundTripRestoresConfigViewStateAndRunColours() throws Exception {
        ShellViewModel vm = new ShellViewModel(context(home));
        FakePage page = new FakePage();
        page.loadConfigJson("{\"n\":7}");
        page.state.put("tab", "gemm");
        vm.colors().override("cpu", 3);
        Path file = home.resolve("ws.json");
        WorkspaceStore.save(vm.capture(page), file);

        ShellViewModel fresh = new ShellViewModel(context(home));
        FakePage other = new FakePage();
        fresh.restore(WorkspaceStore.load(file), other);
        assertThat(other.configJson()).isEqualTo("{\"n\":7}");
        assertThat(other.state).containsExactlyEntriesOf(Map.of("tab", "gemm"));
        assertThat(fresh.colors().slot("cpu")).isEqualTo(3);
        Workspace w = WorkspaceStore.load(file);
        assertThat(w.resultSummary()).containsEntry("n", "7");
    }

    @Test
    void aBrokenWorkspaceNamesFileAndField() throws Exception {
        Path file = home.resolve("bad.json");
        Files.writeString(file, "{\"schemaVersion\":1,\"benchId\":\"fake\",\"config\":3}");
        assertThatThrownBy(() -> WorkspaceStore.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("config");
        Files.writeString(file, "{\"schemaVersion\":1,\n\"benchId\":\"fake\",\n\"config\":{},\n\"bogus\":1}");
        assertThatThrownBy(() -> WorkspaceStore.load(file)).hasMessageContaining("line 4")
                .hasMessageContaining("bogus");
        assertThat(WorkspaceStore.isWorkspace("{\"n\":1}")).isFalse();
    }

    /** A page holding a config string and a view-state map; no nodes. */
    static final class FakePage implements BenchPage {
        String config = "{\"n\":1}";
        final Map<String, String> state = new HashMap<>();

        @Override
        public String benchId() {
            return "fake";
        }

        @Override
        public Node node() {
            return new javafx.scene.layout.Pane();
        }

        @Override
        public void run() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public String configJson() {
            return config;
        }

        @Override
        public void loadConfigJson(String json) {
            if (!json.trim().startsWith("{")) {
                throw new ConfigException("config", "a JSON object");
            }
            config = json.replace(" ", "");
        }

        @Override
        public Map<String, String> viewState() {
            return Map.copyOf(state);
        }

        @Override
        public void restoreViewState(Map<String, String> s) {
            state.clear();
            state.putAll(s);
        }

        @Override
        public Map<String, String> resultSummary() {
            return Map.of("n", config.replaceAll("\\D", ""));
        }
    }
}
