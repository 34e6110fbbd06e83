package org.mlsysworkbench.app.cli;

import java.util.concurrent.Callable;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.app.Bench;
import org.mlsysworkbench.app.Benches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code list}: the benches, their examples and the benchmark suites. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List benches, examples and benchmark suites.")
final class ListCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("Benches (mlsys-workbench run <bench> [--example NAME] --out DIR):");
        for (Bench b : Benches.all()) {
            out.printf("  %-11s %s%n  %-11s examples: %s%n", b.id(), b.definition().summary(), "",
                    String.join(", ", b.definition().examples()));
        }
        out.println("Benchmark suites (mlsys-workbench bench <suite>):");
        for (BenchmarkSuite s : Benches.suites()) {
            out.printf("  %-11s %s%n", s.id(), s.description());
        }
        return Main.OK;
    }
}
