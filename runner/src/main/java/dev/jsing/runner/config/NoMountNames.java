package dev.jsing.runner.config;

import java.util.Set;

/** The names {@code --no-mount} and the {@code no-mount} setting take: mount kinds, or a destination path. */
public final class NoMountNames {
    /** The mount kinds. */
    public static final Set<String> KINDS = Set.of("proc", "sys", "dev", "home", "tmp", "cwd", "bind-paths");

    /** What a valid name is, for messages. */
    public static final String DESCRIPTION = "one of " + KINDS + " or an absolute path";

    private NoMountNames() {}

    /** Whether {@code name} is a mount kind or an absolute destination path. */
    public static boolean valid(String name) {
        return KINDS.contains(name) || name.startsWith("/");
    }
}
