package org.mlsysworkbench.compute.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.arch.ArchitectureRules;

class ComputeArchitectureTest {

    private static final String ROOT = "org.mlsysworkbench.compute";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = ArchitectureRules.productionClasses(ROOT);
    }

    @Test
    void respectsTheLayering() {
        ArchitectureRules.mustNotImport(ROOT, "javafx", "org.mlsysworkbench.render", "org.mlsysworkbench.views", "org.mlsysworkbench.app").check(classes);
    }

    @Test
    void printsNothingToTheConsoleOutsideTheCli() {
        ArchitectureRules.noConsoleOutput(ROOT).check(classes);
    }

    @Test
    void usesNoMathRandom() {
        ArchitectureRules.noMathRandom(ROOT).check(classes);
    }
}
