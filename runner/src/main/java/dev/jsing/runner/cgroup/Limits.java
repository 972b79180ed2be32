package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource limits asked for ({@code --memory}, {@code --cpus}, ..., or an {@code --apply-cgroups} file), in
 * Apptainer's units (its {@code cgroups.Config}: bytes, CFS quota and period in microseconds, v1 shares and blkio
 * weight), independent of the host's cgroup layout; {@link CgroupFiles} turns them into the files of cgroup v1 or v2.
 * A null field is not limited. Immutable; {@link #NONE} limits nothing.
 *
 * @param memory {@code memory.limit}, bytes
 * @param memoryReservation {@code memory.reservation} (soft limit), bytes
 * @param memorySwap {@code memory.swap}: memory plus swap, bytes; -1 unlimited swap
 * @param oomKillDisable {@code memory.disableOOMKiller}
 * @param swappiness {@code memory.swappiness}, 0..100
 * @param cpuShares {@code cpu.shares} (v1 shares, converted to {@code cpu.weight} on v2)
 * @param cpuQuota {@code cpu.quota}, microseconds per period; -1 unlimited
 * @param cpuPeriod {@code cpu.period}, microseconds
 * @param cpusetCpus {@code cpu.cpus}, a cpuset list
 * @param cpusetMems {@code cpu.mems}, a cpuset list
 * @param pidsLimit {@code pids.limit}; -1 unlimited
 * @param blkioWeight {@code blockIO.weight}, 10..1000
 * @param unified {@code [unified]}: cgroup v2 files and their values, written as given
 */
public record Limits(
        Long memory,
        Long memoryReservation,
        Long memorySwap,
        boolean oomKillDisable,
        Long swappiness,
        Long cpuShares,
        Long cpuQuota,
        Long cpuPeriod,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        Integer blkioWeight,
        Map<String, String> unified) {
    /** The least {@code --memory} accepted: below it the container's own processes cannot start (Docker's floor). */
    public static final long MIN_MEMORY = 6L << 20;

    /** The CFS period {@code --cpus} uses (Apptainer's: 100 ms). */
    public static final long CPU_PERIOD_US = 100_000;

    /** No limits. */
    public static final Limits NONE =
            new Limits(null, null, null, false, null, null, null, null, null, null, null, null, Map.of());

    public Limits {
        unified = Collections.unmodifiableMap(new LinkedHashMap<>(unified));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The controllers these limits need, by their cgroup v2 names ({@code memory cpu cpuset pids io}), in order. */
    public List<String> controllers() {
        List<String> c = new ArrayList<>();
        if (memory != null || memoryReservation != null || memorySwap != null || oomKillDisable || swappiness != null) {
            c.add("memory");
        }
        if (cpuShares != null || cpuQuota != null || cpuPeriod != null) {
            c.add("cpu");
        }
        if (cpusetCpus != null || cpusetMems != null) {
            c.add("cpuset");
        }
        if (pidsLimit != null) {
            c.add("pids");
        }
        if (blkioWeight != null) {
            c.add("io");
        }
        for (String k : unified.keySet()) {
            String ctl = k.substring(0, k.indexOf('.'));
            if (!c.contains(ctl)) {
                c.add(ctl);
            }
        }
        return c;
    }

    /** One line per limit set, for the planner's golden files and {@code --debug}. */
    public String describe() {
        List<String> s = new ArrayList<>();
        add(s, "memory", memory);
        add(s, "memory-reservation", memoryReservation);
        add(s, "memory-swap", memorySwap);
        if (oomKillDisable) {
            s.add("oom-kill-disable");
        }
        add(s, "swappiness", swappiness);
        add(s, "cpu-shares", cpuShares);
        add(s, "cpu-quota", cpuQuota);
        add(s, "cpu-period", cpuPeriod);
        add(s, "cpuset-cpus", cpusetCpus);
        add(s, "cpuset-mems", cpusetMems);
        add(s, "pids-limit", pidsLimit);
        add(s, "blkio-weight", blkioWeight);
        unified.forEach((k, v) -> s.add("unified " + k + "=" + v));
        return String.join(" ", s);
    }

    private static void add(List<String> s, String name, Object v) {
        if (v != null) {
            s.add(name + "=" + v);
        }
    }

    /** What is wrong with {@code value} for the limit option {@code option}, or null: checks of the value alone. */
    public static String problem(String option, String value) {
        return switch (option) {
            case "--memory", "--memory-reservation" -> Values.sizeProblem(value);
            case "--memory-swap" -> "-1".equals(value) ? null : Values.sizeProblem(value);
            case "--cpus" -> Values.cpusProblem(value);
            case "--cpu-shares" -> Values.rangeProblem(value, 2, 262144, "CPU shares");
            case "--cpuset-cpus", "--cpuset-mems" -> Values.cpusetProblem(value);
            case "--pids-limit" -> Values.rangeProblem(value, -1, Integer.MAX_VALUE, "a number of processes");
            case "--blkio-weight" ->
                Values.rangeProblem(value, 0, 1000, "a weight") != null
                                || (!value.trim().equals("0") && Long.parseLong(value.trim()) < 10)
                        ? "'" + value + "' is not a block I/O weight (10-1000, 0: none)"
                        : null;
            case "--oom-kill-disable", "--apply-cgroups" -> null;
            default -> throw new IllegalArgumentException(option);
        };
    }

    /** The checks of the whole set (flags or file): below what a process needs, inconsistent pairs. */
    static void check(Limits l, String file) {
        String where = file == null ? "" : file + ": ";
        if (l.memory != null && l.memory < MIN_MEMORY) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    where + "--memory " + l.memory + " bytes is below " + (MIN_MEMORY >> 20)
                            + " MiB, the least the container's own processes need");
        }
        if (l.memorySwap != null && l.memorySwap != -1) {
            if (l.memory == null) {
                throw new JsingException(ExitCodes.USAGE, where + "--memory-swap needs --memory");
            }
            if (l.memorySwap < l.memory) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        where + "--memory-swap (memory plus swap, " + l.memorySwap + ") is below --memory (" + l.memory
                                + ")");
            }
        }
        if (l.cpuQuota != null && l.cpuQuota != -1 && l.cpuQuota < 1000) {
            throw new JsingException(
                    ExitCodes.USAGE, where + "a CPU quota below 1000 us per period is refused by the kernel");
        }
    }
}
