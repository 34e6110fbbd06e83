package org.mlsysworkbench.app.cli;

import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.app.BackendFactory;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --device}, shared by the commands that compute. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "auto|cpu|vulkan", defaultValue = "auto",
            description = "Where kernels run (default: ${DEFAULT-VALUE}; auto = Vulkan on a real GPU, else CPU).")
    String backend;

    @Option(names = "--device", paramLabel = "NAME",
            description = "A substring of the Vulkan device name (see 'devices').")
    String device;

    Backend open() {
        String filter = device != null ? device : System.getProperty("workbench.device");
        return BackendFactory.create(backend, filter);
    }
}
