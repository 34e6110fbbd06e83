package org.mlsysworkbench.views.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.arch.ArchitectureRules;

class ViewsArchitectureTest {

    private static final String ROOT = "org.mlsysworkbench.views";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = ArchitectureRules.productionClasses(ROOT);
    }

    @Test
    void respectsTheLayering() {
        ArchitectureRules.mustNotImport(ROOT, "org.lwjgl", "org.mlsysworkbench.app").check(classes);
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
