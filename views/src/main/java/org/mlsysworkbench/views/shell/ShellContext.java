package org.mlsysworkbench.views.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.DeviceInfo;

/**
 * What the app hands the shell (constructor injection; the shell imports nothing from {@code app}).
 *
 * @param benches         the registered benches, in navigation order
 * @param home            the workbench home (settings, logs, runs)
 * @param logFile         the log file named in error dialogs
 * @param examples        loads an example's JSON: (bench id, example name) -> text
 * @param devices         lists the devices for the System page and the settings dialog
 * @param backendOpener   opens a backend: (setting, device filter) -> backend; throws ConfigException when it cannot
 * @param backendSettings the backend choices ("auto", "cpu", "vulkan")
 * @param versions        name -> version lines for About and the System page
 */
public record ShellContext(List<ShellBench> benches, Path home, Path logFile,
                           BiFunction<String, String, String> examples, Supplier<List<DeviceInfo>> devices,
                           BiFunction<String, String, Backend> backendOpener, List<String> backendSettings,
                           Map<String, String> versions) {

    public ShellContext {
        benches = List.copyOf(benches);
        backendSettings = List.copyOf(backendSettings);
        versions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versions));
    }

    public ShellBench bench(String id) {
        return benches.stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bench '" + id + "'"));
    }
}
