package org.mlsysworkbench.app.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.arch.ArchitectureRules;

class AppArchitectureTest {

    private static final String ROOT = "org.mlsysworkbench.app";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = ArchitectureRules.productionClasses(ROOT);
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
