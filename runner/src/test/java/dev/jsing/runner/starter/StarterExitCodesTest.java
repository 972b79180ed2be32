package dev.jsing.runner.starter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The C starter's exit codes ({@code #define EXIT_*} in {@code runner/src/main/c/starter.h}) are the ones of
 * {@link ExitCodes}: same numbers, and none of them only in C.
 */
class StarterExitCodesTest {
    /** C names whose Java constant is not the C name without its {@code EXIT_} prefix. */
    private static final Map<String, String> RENAMED = Map.of(
            "EXIT_CMD_NOT_FOUND", "COMMAND_NOT_FOUND",
            "EXIT_NOT_EXECUTABLE", "COMMAND_NOT_EXECUTABLE");

    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(EXIT_\\w+)\\s+(\\d+)\\s*(?:/\\*.*\\*/)?\\s*$");

    /** starter.h, from the runner module (Maven's working directory) or from the repository root. */
    private static Path starterHeader() {
        for (Path p : List.of(Path.of("src/main/c/starter.h"), Path.of("runner/src/main/c/starter.h"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("starter.h not found from " + Path.of("").toAbsolutePath());
    }

    /** The {@code #define EXIT_NAME N} lines of starter.h, in order. */
    private static Map<String, Integer> cExitCodes() throws IOException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(starterHeader())) {
            Matcher m = DEFINE.matcher(line.strip());
            if (m.matches()) {
                assertNull(codes.put(m.group(1), Integer.valueOf(m.group(2))), "defined twice: " + m.group(1));
            } else {
                assertFalse(
                        line.strip().matches("^#define\\s+EXIT_.*"), "an EXIT_ define this test cannot read: " + line);
            }
        }
        return codes;
    }

    private static String javaName(String cName) {
        return RENAMED.getOrDefault(cName, cName.substring("EXIT_".length()));
    }

    @Test
    void everyStarterExitCodeEqualsItsJavaConstant() throws IOException, IllegalAccessException {
        Map<String, Integer> c = cExitCodes();
        assertTrue(c.size() >= 8, "too few EXIT_ defines found in starter.h: " + c);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            String name = javaName(e.getKey());
            Field f;
            try {
                f = ExitCodes.class.getField(name);
            } catch (NoSuchFieldException x) {
                problems.add(e.getKey() + " = " + e.getValue() + " has no ExitCodes." + name
                        + " (add it there, or map the name in RENAMED)");
                continue;
            }
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                problems.add("ExitCodes." + name + " is not a static int");
            } else if (f.getInt(null) != e.getValue()) {
                problems.add(e.getKey() + " = " + e.getValue() + " but ExitCodes." + name + " = " + f.getInt(null));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theNameMappingOnlyNamesStarterCodes() throws IOException {
        Map<String, Integer> c = cExitCodes();
        for (String cName : RENAMED.keySet()) {
            assertTrue(c.containsKey(cName), cName + " is mapped in RENAMED but not defined in starter.h");
        }
    }
}
