package dev.jsing.runner.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No package of any module depends on itself through others. The runner sees every other module's classes on its
 * class path, so this one test covers the whole project. The allowed edges are written in {@code runner/README.md}
 * ("Package graph"); {@link PackageGraphTest} pins them.
 */
class PackageCyclesTest {
    static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jsing");
    }

    @Test
    void everyModuleIsPresent() {
        for (String pkg : new String[] {
            "dev.jsing.common.json",
            "dev.jsing.sif",
            "dev.jsing.oci",
            "dev.jsing.oci.registry",
            "dev.jsing.deffile",
            "dev.jsing.slurm",
            "dev.jsing.runner.main"
        }) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    classes.containPackage(pkg), "classes of " + pkg + " not imported");
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.jsing.(**)").should().beFreeOfCycles().check(classes);
    }
}
