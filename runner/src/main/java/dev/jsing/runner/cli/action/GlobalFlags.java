package dev.jsing.runner.cli.action;

import dev.jsing.runner.config.ConfigLoader;

/**
 * The global flags that stand before a command's name, as Apptainer's: {@code -d/--debug}, {@code -q/--quiet},
 * {@code -s/--silent}, {@code --nocolor}, {@code -v/--verbose} and {@code -c/--config FILE} (also {@code
 * --config=FILE}). Shared by the action fast path ({@link ActionMain}) and {@code Main}, which applies {@code -c}
 * before any command runs.
 */
public final class GlobalFlags {
    private GlobalFlags() {}

    /** The index of the command's name in {@code args} (the first argument that is no global flag), or -1. */
    public static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (takesValue(a)) {
                i++;
            } else if (!isFlag(a)) {
                return a.startsWith("-") ? -1 : i;
            }
        }
        return -1;
    }

    /** {@code -c/--config FILE} before the command, or null. */
    public static String configFile(String[] args) {
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (takesValue(a)) {
                if (i + 1 < args.length) {
                    file = args[i + 1];
                }
                i++;
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else if (!isFlag(a)) {
                break;
            }
        }
        return file;
    }

    /**
     * Applies {@code -c/--config FILE}, for the whole process: that file is the user layer that {@code $JSING_CONFIG}
     * would be ({@link ConfigLoader#CONFIG_PROPERTY}). Called once by {@code Main}, before any command runs.
     */
    public static void applyConfig(String[] args) {
        String config = configFile(args);
        if (config != null) {
            System.setProperty(ConfigLoader.CONFIG_PROPERTY, config);
        }
    }

    /** Whether {@code name} (e.g. {@code -v}) stands among the global flags before index {@code end}. */
    static boolean has(String[] args, int end, String... names) {
        for (int i = 0; i < end; i++) {
            if (takesValue(args[i])) {
                i++;
                continue;
            }
            for (String n : names) {
                if (args[i].equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean takesValue(String a) {
        return a.equals("-c") || a.equals("--config");
    }

    private static boolean isFlag(String a) {
        return switch (a) {
            case "-d", "--debug", "-q", "--quiet", "-s", "--silent", "--nocolor", "-v", "--verbose" -> true;
            default -> a.startsWith("--config=");
        };
    }
}
