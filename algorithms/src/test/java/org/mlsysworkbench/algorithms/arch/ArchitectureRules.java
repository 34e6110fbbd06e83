package org.mlsysworkbench.algorithms.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering rules of DESIGN.md and STYLE.md rule 4, shared by every module's architecture test
 * (this class ships in the algorithms test-jar). A failing rule is fixed, never ignored.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The production classes of one module, found under its package root. */
    public static JavaClasses productionClasses(String modulePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(modulePackage);
    }

    /** No class of {@code modulePackage} depends on any of the given packages. */
    public static ArchRule mustNotImport(String modulePackage, String... forbiddenPackages) {
        String[] patterns = new String[forbiddenPackages.length];
        for (int i = 0; i < forbiddenPackages.length; i++) {
            patterns[i] = forbiddenPackages[i] + "..";
        }
        return noClasses().that().resideInAPackage(modulePackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(patterns)
                .allowEmptyShould(true);
    }

    /** Console output only from the CLI entry point. */
    public static ArchRule noConsoleOutput(String modulePackage) {
        return noClasses().that().resideInAPackage(modulePackage + "..")
                .and().resideOutsideOfPackage("org.mlsysworkbench.app.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .allowEmptyShould(true);
    }

    /** Randomness comes from the config's seed, never from Math.random(). */
    public static ArchRule noMathRandom(String modulePackage) {
        return noClasses().that().resideInAPackage(modulePackage + "..")
                .should().callMethod(Math.class, "random")
                .allowEmptyShould(true);
    }
}
