package dev.jsing.runner.instance;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc} says about a process: its start time (which tells a process from a later one with the same
 * pid), state, parent, real uid, namespaces.
 *
 * @param pid the process
 * @param state one letter ({@code R}, {@code S}, {@code Z}, ...)
 * @param ppid its parent
 * @param startTime field 22 of {@code /proc/PID/stat}: clock ticks since boot
 * @param utime user CPU time in clock ticks
 * @param stime system CPU time in clock ticks
 * @param rssPages resident set size in pages
 */
record ProcInfo(long pid, char state, long ppid, long startTime, long utime, long stime, long rssPages) {
    /** The process {@code pid} now, or null when there is none. */
    static ProcInfo of(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field N is f[N - 3]
        return new ProcInfo(
                pid,
                f[0].charAt(0),
                Long.parseLong(f[1]),
                Long.parseLong(f[19]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[21]));
    }

    /** Whether the process {@code pid} started at {@code startTime} still runs (a zombie has exited). */
    static boolean alive(long pid, long startTime) {
        ProcInfo p = of(pid);
        return p != null && p.startTime == startTime && p.state != 'Z' && p.state != 'X';
    }

    /** The real uid of {@code pid}, or -1. */
    static int uid(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (l.startsWith("Uid:")) {
                    return Integer.parseInt(l.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The namespace {@code ns} ({@code pid}, {@code mnt}) of {@code pid} as its link text ({@code pid:[4026...]}). */
    static String namespace(long pid, String ns) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "ns", ns))
                    .toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Every process of the host (as this pid namespace sees it). */
    static List<Long> all() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            return pids;
        }
        return pids;
    }
}
