package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link Limits} as the files of one controller's cgroup, for cgroup v2 or v1, in the order they must be written
 * ({@code cpu.cfs_period_us} before the quota, the memory limit before memory plus swap). The v2 conversions are
 * runc's, as Apptainer uses them: shares to {@code cpu.weight}, blkio weight to {@code io.weight}, memory plus swap
 * to {@code memory.swap.max}. A limit the host's cgroup version cannot express is an error, never dropped.
 */
final class CgroupFiles {
    private CgroupFiles() {}

    /** One file to write: {@code file} in the container's cgroup, with {@code value}; {@code option} for errors. */
    record Write(String file, String value, String option) {}

    /** The writes for {@code controller} (v2 name) on cgroup v2; {@code exists} tells which files the kernel has. */
    static List<Write> v2(Limits l, String controller, Predicate<String> exists) {
        List<Write> w = new ArrayList<>();
        switch (controller) {
            case "memory" -> {
                add(w, "memory.max", l.memory(), "--memory");
                add(w, "memory.low", l.memoryReservation(), "--memory-reservation");
                if (l.memorySwap() != null) {
                    w.add(new Write(
                            "memory.swap.max",
                            l.memorySwap() == -1 ? "max" : String.valueOf(l.memorySwap() - l.memory()),
                            "--memory-swap"));
                }
                if (l.oomKillDisable()) {
                    throw unavailable("--oom-kill-disable: cgroup v2 has no switch to disable the OOM killer (memory"
                            + " is on cgroup v2 here)");
                }
                if (l.swappiness() != null) {
                    throw unavailable("memory.swappiness: cgroup v2 has no per-cgroup swappiness (memory is on cgroup"
                            + " v2 here)");
                }
            }
            case "cpu" -> {
                if (l.cpuQuota() != null || l.cpuPeriod() != null) {
                    String quota = l.cpuQuota() == null || l.cpuQuota() == -1 ? "max" : String.valueOf(l.cpuQuota());
                    long period = l.cpuPeriod() == null ? Limits.CPU_PERIOD_US : l.cpuPeriod();
                    w.add(new Write("cpu.max", quota + " " + period, "--cpus"));
                }
                if (l.cpuShares() != null) {
                    w.add(new Write(
                            "cpu.weight", String.valueOf(1 + ((l.cpuShares() - 2) * 9999) / 262142), "--cpu-shares"));
                }
            }
            case "cpuset", "pids" -> addSameOnBoth(w, l, controller);
            case "io" -> {
                if (l.blkioWeight() != null) {
                    if (exists.test("io.weight")) {
                        w.add(new Write(
                                "io.weight", "default " + (1 + (l.blkioWeight() - 10) * 9999 / 990), "--blkio-weight"));
                    } else if (exists.test("io.bfq.weight")) {
                        w.add(new Write("io.bfq.weight", String.valueOf(l.blkioWeight()), "--blkio-weight"));
                    } else {
                        throw unavailable("--blkio-weight: this kernel's io controller has no weight (no io.weight, no"
                                + " io.bfq.weight: neither the BFQ scheduler nor io.cost is active)");
                    }
                }
            }
            default -> {}
        }
        l.unified().forEach((k, v) -> {
            if (k.startsWith(controller + ".")) {
                w.add(new Write(k, v, "[unified] " + k));
            }
        });
        return w;
    }

    /** The writes for {@code controller} (v2 name) on its cgroup v1 hierarchy. */
    static List<Write> v1(Limits l, String controller, Predicate<String> exists) {
        List<Write> w = new ArrayList<>();
        for (String k : l.unified().keySet()) {
            if (k.startsWith(controller + ".")) {
                throw unavailable("--apply-cgroups: [unified] " + k + " needs cgroup v2, and " + controller
                        + " is on a cgroup v1 hierarchy here");
            }
        }
        switch (controller) {
            case "memory" -> {
                add(w, "memory.limit_in_bytes", l.memory(), "--memory");
                add(w, "memory.soft_limit_in_bytes", l.memoryReservation(), "--memory-reservation");
                if (l.memorySwap() != null) {
                    if (!exists.test("memory.memsw.limit_in_bytes")) {
                        throw unavailable("--memory-swap: this kernel does not account swap in cgroup v1"
                                + " (no memory.memsw.limit_in_bytes; boot with swapaccount=1)");
                    }
                    add(w, "memory.memsw.limit_in_bytes", l.memorySwap(), "--memory-swap");
                }
                if (l.oomKillDisable()) {
                    w.add(new Write("memory.oom_control", "1", "--oom-kill-disable"));
                }
                add(w, "memory.swappiness", l.swappiness(), "memory.swappiness");
            }
            case "cpu" -> {
                add(w, "cpu.cfs_period_us", l.cpuPeriod(), "--cpus");
                add(w, "cpu.cfs_quota_us", l.cpuQuota(), "--cpus");
                add(w, "cpu.shares", l.cpuShares(), "--cpu-shares");
            }
            case "cpuset", "pids" -> addSameOnBoth(w, l, controller);
            case "io" -> {
                if (l.blkioWeight() != null) {
                    String f = exists.test("blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
                    if (!exists.test(f)) {
                        throw unavailable("--blkio-weight: this kernel's blkio controller has no weight (no"
                                + " blkio.weight, no blkio.bfq.weight)");
                    }
                    w.add(new Write(f, String.valueOf(l.blkioWeight()), "--blkio-weight"));
                }
            }
            default -> {}
        }
        return w;
    }

    /** The controllers whose files and values are the same on cgroup v2 and v1: cpuset and pids. */
    private static void addSameOnBoth(List<Write> w, Limits l, String controller) {
        if (controller.equals("cpuset")) {
            add(w, "cpuset.cpus", l.cpusetCpus(), "--cpuset-cpus");
            add(w, "cpuset.mems", l.cpusetMems(), "--cpuset-mems");
        } else if (l.pidsLimit() != null) {
            w.add(new Write("pids.max", l.pidsLimit() == -1 ? "max" : String.valueOf(l.pidsLimit()), "--pids-limit"));
        }
    }

    private static void add(List<Write> w, String file, Object value, String option) {
        if (value != null) {
            w.add(new Write(file, String.valueOf(value), option));
        }
    }

    private static JsingException unavailable(String message) {
        return new JsingException(ExitCodes.ISOLATION_UNAVAILABLE, message);
    }
}
