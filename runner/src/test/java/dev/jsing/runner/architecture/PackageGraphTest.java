package dev.jsing.runner.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The runner's packages import only what the package graph in {@code runner/README.md} allows. */
class PackageGraphTest {
    private static final String ROOT = "dev.jsing.runner.";

    /** The README's table: package (relative to dev.jsing.runner) to the packages it may import. */
    static Map<String, Set<String>> allowed() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("<!-- package-graph -->");
        int to = readme.indexOf("<!-- /package-graph -->");
        assertTrue(from >= 0 && to > from, "runner/README.md has no package-graph section");
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z.]+)` \\|[^|]*\\|([^|]*)\\|$", Pattern.MULTILINE);
        Matcher m = row.matcher(readme.substring(from, to));
        while (m.find()) {
            Set<String> deps = new TreeSet<>();
            Matcher d = Pattern.compile("`([a-z.]+)`").matcher(m.group(2));
            while (d.find()) {
                deps.add(d.group(1));
            }
            graph.put(m.group(1), deps);
        }
        return graph;
    }

    @Test
    void everyEdgeIsWrittenDown() throws IOException {
        Map<String, Set<String>> allowed = allowed();
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jsing.runner");
        Set<String> violations = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            String pkg = relative(c.getPackageName());
            seen.add(pkg);
            if (!allowed.containsKey(pkg)) {
                violations.add(pkg + ": not in runner/README.md's package graph");
                continue;
            }
            for (Dependency dep : c.getDirectDependenciesFromSelf()) {
                String target = dep.getTargetClass().getPackageName();
                if (!target.startsWith(ROOT) && !target.equals("dev.jsing.runner")) {
                    continue;
                }
                String t = relative(target);
                if (!t.equals(pkg) && !allowed.get(pkg).contains(t)) {
                    violations.add(pkg + " -> " + t + " (" + dep.getDescription() + ")");
                }
            }
        }
        assertEquals(List.of(), List.copyOf(violations), "edges outside the package graph");
        assertEquals(
                new TreeSet<>(allowed.keySet()), seen, "the graph names packages that do not exist, or misses some");
    }

    private static String relative(String pkg) {
        return pkg.equals("dev.jsing.runner") ? "(root)" : pkg.substring(ROOT.length());
    }
}
