package org.mlsysworkbench.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.core.BuildInfo;
import org.mlsysworkbench.algorithms.core.ConfigException;
import picocli.CommandLine;
import org.mlsysworkbench.app.WorkbenchHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mlsys-workbench} command line: the same services the GUI uses. Exit codes: 0 ok,
 * 1 failure, 2 bad usage (the message names the bad argument, file or field).
 */
@Command(name = "mlsys-workbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run, see and measure the efficiency techniques of ML-systems papers.",
        subcommands = {GuiCommand.class, RunCommand.class, ListCommand.class, DevicesCommand.class, SelftestCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        WorkbenchHome.claimNativeFolders();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && ("--selftest".equals(args[0]) || "--self-test".equals(args[0]))) {
            // the packaged smoke test's spelling: the same as the selftest command
            args = args.clone();
            args[0] = "selftest";
        } else if (args.length == 1 && args[0].endsWith(".mlsw")) {
            // a desktop file association passes the workspace alone
            args = new String[] {"gui", args[0]};
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException) {
                err.println("mlsys-workbench: " + ex.getMessage());
                return USAGE;
            }
            err.println("mlsys-workbench: failed: " + ex);
            return FAILURE;
        });
        cl.setParameterExceptionHandler((ex, params) -> {
            err.println("mlsys-workbench: " + ex.getMessage());
            err.println("Try 'mlsys-workbench " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName()
                    + " ") + "--help'.");
            return USAGE;
        });
        return cl.execute(args);
    }

    /** No subcommand: open the window, like {@code gui}. */
    @Override
    public Integer call() {
        return new GuiCommand().call();
    }

    /** Version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"MLSys Workbench " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")"};
        }
    }
}
