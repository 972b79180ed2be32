package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes of the limit options: sizes as Docker's {@code units.RAMInBytes}, CPU counts, cpuset lists. */
final class Values {
    private Values() {}

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?");
    private static final Pattern CPUSET = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

    /** Bytes: a number with an optional binary unit (b, k, m, g, t, p; "kb", "KiB" alike), as Apptainer reads it. */
    static long size(String v) {
        Matcher m = SIZE.matcher(v.trim());
        if (!m.matches()) {
            throw new JsingException(ExitCodes.USAGE, sizeProblem(v));
        }
        BigDecimal n = new BigDecimal(m.group(1));
        int shift = m.group(2) == null
                ? 0
                : 10 * ("kmgtp".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
        BigDecimal bytes = n.multiply(BigDecimal.valueOf(2).pow(shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new JsingException(ExitCodes.USAGE, "'" + v + "' is too large");
        }
        return bytes.longValue();
    }

    static String sizeProblem(String v) {
        return SIZE.matcher(v.trim()).matches()
                ? null
                : "'" + v + "' is not a size (bytes, or a number with b, k, m, g, t or p: 512m, 2g)";
    }

    static String cpusProblem(String v) {
        BigDecimal d;
        try {
            d = new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            return "'" + v + "' is not a number of CPUs";
        }
        int max = Runtime.getRuntime().availableProcessors();
        if (d.compareTo(new BigDecimal("0.01")) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            return "cpus value must be in range 0.01 - " + max;
        }
        return null;
    }

    /** The CFS quota for {@code cpus} CPUs in a period of {@code periodUs}. */
    static long cpusQuota(String cpus, long periodUs) {
        return new BigDecimal(cpus.trim())
                .multiply(BigDecimal.valueOf(periodUs))
                .longValue();
    }

    static String rangeProblem(String v, long min, long max, String what) {
        try {
            long n = Long.parseLong(v.trim());
            return n < min || n > max ? "'" + v + "' is not " + what + " (" + min + " to " + max + ")" : null;
        } catch (NumberFormatException e) {
            return "'" + v + "' is not " + what + " (" + min + " to " + max + ")";
        }
    }

    static String cpusetProblem(String v) {
        return CPUSET.matcher(v.trim()).matches() ? null : "'" + v + "' is not a cpuset list (0-3,8)";
    }
}
