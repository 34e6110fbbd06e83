package org.mlsysworkbench.app.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.app.BackendFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code devices}: every compute device with its type, driver, API version and limits. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the compute devices of this machine.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        int i = 0;
        var devices = BackendFactory.devices();
        for (DeviceInfo d : devices) {
            out.printf("[%d] %s%n    type: %s, driver: %s, api: %s%n", i++, d.name(), d.type(), d.driver(),
                    d.apiVersion());
            for (Map.Entry<String, String> e : new TreeMap<>(d.properties()).entrySet()) {
                out.printf("    %s: %s%n", e.getKey(), e.getValue());
            }
        }
        if (devices.size() == 1) {
            out.println("No Vulkan device: install libvulkan1 and a driver (mesa-vulkan-drivers for lavapipe,"
                    + " or the GPU vendor's); the CPU backend is used.");
        }
        out.printf("--device takes a substring of a name or driver, a type, 'lavapipe',"
                + " or a Vulkan device's 'index' property.%n");
        return Main.OK;
    }
}
