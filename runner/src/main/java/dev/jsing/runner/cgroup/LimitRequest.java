package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limit options as given ({@code --memory 512m}, ..., or {@code --apply-cgroups FILE}); {@link #resolve} reads the
 * file and checks the whole set when the launch is planned. Immutable; {@link #NONE}: no limits asked.
 *
 * @param flags option name to value (null for {@code --oom-kill-disable}), in the order given
 * @param tomlFile the {@code --apply-cgroups} file, or null
 */
public record LimitRequest(Map<String, String> flags, String tomlFile) {
    public static final LimitRequest NONE = new LimitRequest(Map.of(), null);

    public LimitRequest {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /** This request with the option {@code option} ({@code --memory}) and its value (null for a flag). */
    public LimitRequest with(String option, String value) {
        if (option.equals("--apply-cgroups")) {
            return new LimitRequest(flags, value);
        }
        String problem = Limits.problem(option, value);
        if (problem != null) {
            throw new JsingException(ExitCodes.USAGE, option + ": " + problem);
        }
        Map<String, String> f = new LinkedHashMap<>(flags);
        f.put(option, value);
        return new LimitRequest(f, tomlFile);
    }

    public boolean isEmpty() {
        return flags.isEmpty() && tomlFile == null;
    }

    /** The limits: the file's, or the flags'; as Apptainer, not both. Checked as a whole. */
    public Limits resolve() {
        if (tomlFile != null && !flags.isEmpty()) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "--apply-cgroups: cannot apply a cgroups TOML file while using limit flags ("
                            + String.join(", ", flags.keySet()) + ")");
        }
        Limits l = tomlFile != null ? CgroupToml.read(tomlFile) : fromFlags();
        Limits.check(l, tomlFile != null ? "--apply-cgroups " + tomlFile : null);
        return l;
    }

    private Limits fromFlags() {
        if (flags.isEmpty()) {
            return Limits.NONE;
        }
        Long quota = null;
        Long period = null;
        String cpus = flags.get("--cpus");
        if (cpus != null) {
            period = Limits.CPU_PERIOD_US;
            quota = Values.cpusQuota(cpus, Limits.CPU_PERIOD_US);
        }
        Long pids = number("--pids-limit");
        Long weight = number("--blkio-weight");
        return new Limits(
                size("--memory"),
                size("--memory-reservation"),
                "-1".equals(flags.get("--memory-swap")) ? Long.valueOf(-1) : size("--memory-swap"),
                flags.containsKey("--oom-kill-disable"),
                null,
                number("--cpu-shares"),
                quota,
                period,
                flags.get("--cpuset-cpus"),
                flags.get("--cpuset-mems"),
                pids == null || pids == 0 ? null : pids, // Apptainer: 0 sets no limit
                weight == null || weight == 0 ? null : Integer.valueOf(weight.intValue()),
                Map.of());
    }

    private Long size(String option) {
        String v = flags.get(option);
        return v == null ? null : Values.size(v);
    }

    private Long number(String option) {
        String v = flags.get(option);
        return v == null ? null : Long.valueOf(v.trim());
    }
}
