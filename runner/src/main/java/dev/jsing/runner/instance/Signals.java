package dev.jsing.runner.instance;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.List;
import java.util.Locale;

/** Signal names and numbers (Linux's), as {@code instance stop --signal} takes them: {@code TERM}, {@code SIGTERM}, 15. */
public final class Signals {
    private static final List<String> NAMES = List.of(
            "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
            "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
            "PROF", "WINCH", "IO", "PWR", "SYS");

    public static final int SIGTERM = 15;
    public static final int SIGKILL = 9;

    private Signals() {}

    /** The number of the signal {@code s}, or a usage error naming it. */
    public static int parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= 64) {
                return n;
            }
        }
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        int i = NAMES.indexOf(t);
        if (i > 0) {
            return i;
        }
        throw new JsingException(ExitCodes.USAGE, "instance stop: --signal: '" + s + "' is not a signal");
    }
}
