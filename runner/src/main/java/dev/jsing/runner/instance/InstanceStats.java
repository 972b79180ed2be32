package dev.jsing.runner.instance;

import dev.jsing.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory, CPU and processes of an instance. From the cgroup of its init when that cgroup is the instance's own (every
 * process in it belongs to the instance: its PID namespace, its monitor, its squashfuse) and readable (cgroup v2's
 * {@code memory.current}, {@code cpu.stat}, {@code pids.current}; v1's memory, cpuacct and pids controllers); else
 * summed over the instance's processes from {@code /proc} (those in its PID namespace: resident memory, CPU time).
 * {@link #source} says which. CPU usage is also sampled over one second, as Apptainer's {@code instance stats} does.
 *
 * @param name the instance
 * @param pid its init
 * @param source {@code cgroup v2 DIR}, {@code cgroup v1 DIR} or {@code proc}
 * @param memoryBytes memory in use
 * @param memoryLimit the cgroup's limit, or the machine's memory when there is none
 * @param cpuNanos CPU time used so far
 * @param cpuPercent CPU use over the last second (100: one CPU)
 * @param pids processes
 */
record InstanceStats(
        String name,
        long pid,
        String source,
        long memoryBytes,
        long memoryLimit,
        long cpuNanos,
        double cpuPercent,
        long pids) {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ, fixed by the kernel's ABI

    static InstanceStats of(InstanceRecord r) {
        Sample a = sample(r);
        long t0 = System.nanoTime();
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Sample b = sample(r);
        long dt = System.nanoTime() - t0;
        double pct = dt > 0 ? Math.max(0, b.cpuNanos - a.cpuNanos) * 100.0 / dt : 0;
        return new InstanceStats(r.name(), r.pid(), b.source, b.memory, b.limit, b.cpuNanos, pct, b.pids);
    }

    private record Sample(String source, long memory, long limit, long cpuNanos, long pids) {}

    private static Sample sample(InstanceRecord r) {
        String pidNs = ProcInfo.namespace(r.pid(), "pid");
        List<Long> members = new ArrayList<>();
        for (long p : ProcInfo.all()) {
            if (pidNs != null && pidNs.equals(ProcInfo.namespace(p, "pid"))) {
                members.add(p);
            }
        }
        long rss = 0;
        long ticks = 0;
        for (long p : members) {
            ProcInfo i = ProcInfo.of(p);
            if (i == null) {
                continue;
            }
            ticks += i.utime() + i.stime();
            rss += residentBytes(p);
        }
        Sample proc = new Sample("proc", rss, memTotal(), ticks * (1_000_000_000L / TICKS_PER_SECOND), members.size());
        Sample s = fromCgroup(r, pidNs, proc);
        return s != null ? s : proc;
    }

    /**
     * The cgroup's figures where the init's cgroup is the instance's own: v2 (one directory), or v1 per controller
     * (memory, cpuacct, pids: each one whose cgroup is the instance's; the others from {@code proc}).
     */
    private static Sample fromCgroup(InstanceRecord r, String pidNs, Sample proc) {
        String procCgroup = read(Path.of("/proc", String.valueOf(r.pid()), "cgroup"));
        String mountinfo = read(Path.of("/proc/self/mountinfo"));
        if (procCgroup == null || mountinfo == null || pidNs == null) {
            return null;
        }
        Path v2 = Cgroups.dir(procCgroup, mountinfo, null);
        if (v2 != null && Files.isReadable(v2.resolve("memory.current")) && own(v2, r, pidNs)) {
            long usage = number(read(v2.resolve("memory.current")));
            long limit = number(read(v2.resolve("memory.max")));
            long cpu = keyed(read(v2.resolve("cpu.stat")), "usage_usec");
            long pids = number(read(v2.resolve("pids.current")));
            return new Sample(
                    "cgroup v2 " + v2,
                    usage,
                    limit > 0 ? limit : memTotal(),
                    cpu >= 0 ? cpu * 1000 : proc.cpuNanos(),
                    pids >= 0 ? pids : proc.pids());
        }
        Path mem = ownV1(procCgroup, mountinfo, "memory", "memory.usage_in_bytes", r, pidNs);
        Path cpuacct = ownV1(procCgroup, mountinfo, "cpuacct", "cpuacct.usage", r, pidNs);
        Path pidsDir = ownV1(procCgroup, mountinfo, "pids", "pids.current", r, pidNs);
        if (mem == null && cpuacct == null && pidsDir == null) {
            return null;
        }
        List<String> from = new ArrayList<>();
        long total = memTotal();
        long usage = proc.memory();
        long limit = total;
        if (mem != null) {
            usage = number(read(mem.resolve("memory.usage_in_bytes")));
            long l = number(read(mem.resolve("memory.limit_in_bytes")));
            limit = l > 0 && l < total ? l : total;
            from.add("memory " + mem);
        }
        long cpu = cpuacct != null ? number(read(cpuacct.resolve("cpuacct.usage"))) : proc.cpuNanos();
        if (cpuacct != null) {
            from.add("cpuacct " + cpuacct);
        }
        long pids = pidsDir != null ? number(read(pidsDir.resolve("pids.current"))) : proc.pids();
        if (pidsDir != null) {
            from.add("pids " + pidsDir);
        }
        String rest =
                (mem == null ? " memory" : "") + (cpuacct == null ? " cpu" : "") + (pidsDir == null ? " pids" : "");
        return new Sample(
                "cgroup v1 " + String.join(", ", from) + (rest.isEmpty() ? "" : "; proc:" + rest),
                usage,
                limit,
                cpu,
                pids);
    }

    /** The v1 {@code controller}'s cgroup of the init when it is the instance's own and {@code file} is readable. */
    private static Path ownV1(
            String procCgroup, String mountinfo, String controller, String file, InstanceRecord r, String pidNs) {
        Path d = Cgroups.dir(procCgroup, mountinfo, controller);
        return d != null && Files.isReadable(d.resolve(file)) && own(d, r, pidNs) ? d : null;
    }

    /** Whether every process of the cgroup {@code dir} is the instance's (so that its counters are the instance's). */
    private static boolean own(Path dir, InstanceRecord r, String pidNs) {
        String procs = read(dir.resolve("cgroup.procs"));
        if (procs == null || procs.isBlank()) {
            return false;
        }
        for (String l : procs.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            long p = Long.parseLong(l.trim());
            if (p == r.ppid() || pidNs.equals(ProcInfo.namespace(p, "pid"))) {
                continue;
            }
            String comm = read(Path.of("/proc", String.valueOf(p), "comm"));
            if (comm != null && comm.startsWith("squashfuse")) {
                continue;
            }
            return false;
        }
        return true;
    }

    private static long residentBytes(long pid) {
        String status = read(Path.of("/proc", String.valueOf(pid), "status"));
        if (status == null) {
            return 0;
        }
        return keyedKb(status, "VmRSS:");
    }

    private static long memTotal() {
        String m = read(Path.of("/proc/meminfo"));
        return m == null ? 0 : keyedKb(m, "MemTotal:");
    }

    private static long keyedKb(String text, String key) {
        for (String l : text.split("\n")) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]) * 1024;
            }
        }
        return 0;
    }

    private static long keyed(String text, String key) {
        if (text == null) {
            return -1;
        }
        for (String l : text.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(key)) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    private static long number(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1; // "max"
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE NAME", "CPU USAGE", "MEM USAGE / LIMIT", "MEM %", "PIDS", "SOURCE"});
        rows.add(new String[] {
            name,
            String.format(Locale.ROOT, "%.2f%%", cpuPercent),
            bytes(memoryBytes) + " / " + bytes(memoryLimit),
            String.format(Locale.ROOT, "%.2f%%", memoryLimit > 0 ? memoryBytes * 100.0 / memoryLimit : 0),
            String.valueOf(pids),
            source
        });
        return Table.render(rows);
    }

    String json() {
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", Map.of("total_usage", cpuNanos));
        cpu.put("percent", Math.round(cpuPercent * 100) / 100.0);
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("usage", Map.of("usage", memoryBytes, "limit", memoryLimit));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("instance", name);
        doc.put("pid", pid);
        doc.put("source", source);
        doc.put("cpu_stats", cpu);
        doc.put("memory_stats", mem);
        doc.put("pids_stats", Map.of("current", pids));
        return Json.writeIndented(doc) + "\n";
    }

    private static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f%s" : "%.2f%s", v, units[u]);
    }
}
