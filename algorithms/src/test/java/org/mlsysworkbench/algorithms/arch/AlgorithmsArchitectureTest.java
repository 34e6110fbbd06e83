package org.mlsysworkbench.algorithms.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AlgorithmsArchitectureTest {

    private static final String ROOT = "org.mlsysworkbench.algorithms";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = ArchitectureRules.productionClasses(ROOT);
    }

    @Test
    void importsNoJavaFxLwjglOrAwt() {
        ArchitectureRules.mustNotImport(ROOT, "javafx", "org.lwjgl", "java.awt", "javax.swing",
                "org.mlsysworkbench.compute", "org.mlsysworkbench.render", "org.mlsysworkbench.views",
                "org.mlsysworkbench.app").check(classes);
    }

    @Test
    void printsNothingToTheConsole() {
        ArchitectureRules.noConsoleOutput(ROOT).check(classes);
    }

    @Test
    void usesNoMathRandom() {
        ArchitectureRules.noMathRandom(ROOT).check(classes);
    }
}
