package org.mlsysworkbench.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlsysworkbench.app.gui.GuiLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gui [WORKSPACE]}: opens the window (the default when no command is given). */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Open the workbench window (the default).")
final class GuiCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "WORKSPACE", description = "A saved workspace (.mlsw) to open.")
    Path workspace;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>();
        if (workspace != null) {
            args.add(workspace.toAbsolutePath().toString());
        }
        GuiLauncher.launch(args.toArray(new String[0]));
        return Main.OK;
    }
}
