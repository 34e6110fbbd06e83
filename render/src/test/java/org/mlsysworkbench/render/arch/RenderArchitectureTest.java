package org.mlsysworkbench.render.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.arch.ArchitectureRules;

class RenderArchitectureTest {

    private static final String ROOT = "org.mlsysworkbench.render";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = ArchitectureRules.productionClasses(ROOT);
    }

    @Test
    void respectsTheLayering() {
        ArchitectureRules.mustNotImport(ROOT, "javafx", "org.mlsysworkbench.views", "org.mlsysworkbench.app").check(classes);
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
