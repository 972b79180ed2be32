package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the container's cgroups for {@link Limits}, as the caller, before the starter runs: one {@code jsing-PID}
 * directory per hierarchy, inside the caller's delegated subtree, with the limits written. The starter moves itself
 * into them ({@code --cgroup DIR}) before it forks the container's first process, and its watcher removes them once
 * they are empty (see {@code src/main/c/cgroup.c}).
 *
 * <p>The delegated subtree is found from the caller's own cgroup, never elsewhere, so a launch inside a Slurm job stays
 * inside the job's cgroup and only narrows its limits. On cgroup v2 it is the nearest ancestor of the caller's cgroup
 * (a process may only move between cgroups below one whose {@code cgroup.procs} it may write, and a cgroup with
 * processes cannot hand controllers to children) that the caller owns, with {@code cgroup.procs} and
 * {@code cgroup.subtree_control} writable: systemd's user delegation ({@code user@UID.service}, and scopes made with
 * {@code systemd-run --user --scope}) or a subtree the site chowns to the user and starts the user's sessions in. The
 * walk up stops at the first directory the caller does not own. On cgroup v1 it is the caller's own cgroup in that
 * hierarchy, or the nearest ancestor, owned by the caller. No such directory: exit 81, one line.
 */
public final class CgroupSetup {
    private CgroupSetup() {}

    /** Creates and limits the cgroups; returns their directories (empty for no limits). */
    public static List<String> create(Limits limits, int uid, long pid) {
        if (limits.isEmpty()) {
            return List.of();
        }
        Hierarchies h = Hierarchies.read();
        Map<Hierarchies.Hierarchy, List<String>> byHierarchy = new LinkedHashMap<>();
        List<String> onV2 = new ArrayList<>();
        String v2Offers = h.v2() == null ? "" : read(h.v2().mount().resolve("cgroup.controllers"));
        for (String c : limits.controllers()) {
            if (h.v2() != null && List.of(v2Offers.trim().split("\\s+")).contains(c)) {
                onV2.add(c);
            } else if (h.v1For(c) != null) {
                byHierarchy.computeIfAbsent(h.v1For(c), k -> new ArrayList<>()).add(c);
            } else {
                throw new JsingException(
                        ExitCodes.ISOLATION_UNAVAILABLE,
                        "no " + c + " cgroup controller on this host (neither cgroup v2 nor a cgroup v1 mount offers"
                                + " it), needed for " + limits.describe());
            }
        }
        List<Path> created = new ArrayList<>();
        try {
            if (!onV2.isEmpty()) {
                Path parent = delegatedV2(h.v2(), onV2, uid);
                enable(parent, onV2);
                Path dir = make(parent, pid, created);
                for (String c : onV2) {
                    write(dir, CgroupFiles.v2(limits, c, f -> Files.exists(dir.resolve(f))));
                }
            }
            for (Map.Entry<Hierarchies.Hierarchy, List<String>> e : byHierarchy.entrySet()) {
                Path parent = delegatedV1(e.getKey(), uid);
                Path dir = make(parent, pid, created);
                for (String c : e.getValue()) {
                    if (c.equals("cpuset")) {
                        inheritCpuset(parent, dir, limits);
                    }
                    write(dir, CgroupFiles.v1(limits, c, f -> Files.exists(dir.resolve(f))));
                }
            }
        } catch (RuntimeException e) {
            remove(created);
            throw e;
        }
        List<String> dirs = new ArrayList<>();
        for (Path p : created) {
            dirs.add(p.toString());
        }
        return dirs;
    }

    /** Removes cgroups {@link #create} made, when the starter did not run. */
    public static void removeQuietly(List<String> dirs) {
        List<Path> p = new ArrayList<>();
        for (String d : dirs) {
            p.add(Path.of(d));
        }
        remove(p);
    }

    private static Path delegatedV2(Hierarchies.Hierarchy v2, List<String> controllers, int uid) {
        Path own = v2.own();
        String why = "your cgroup " + rel(v2, own) + " has no parent";
        for (Path a = own.getParent(); a != null && a.startsWith(v2.mount()); a = a.getParent()) {
            if (owner(a) != uid) {
                why = rel(v2, a) + " (above your cgroup " + rel(v2, own) + ") is not yours";
                break;
            }
            List<String> offers =
                    List.of(read(a.resolve("cgroup.controllers")).trim().split("\\s+"));
            if (!offers.containsAll(controllers)) {
                why = rel(v2, a) + " does not offer " + missing(controllers, offers);
                continue;
            }
            if (Files.isWritable(a.resolve("cgroup.procs"))
                    && Files.isWritable(a.resolve("cgroup.subtree_control"))
                    && Files.isWritable(a)) {
                return a;
            }
            why = rel(v2, a) + "'s cgroup.procs or cgroup.subtree_control is not writable";
        }
        throw new JsingException(
                ExitCodes.ISOLATION_UNAVAILABLE,
                "resource limits need a delegated cgroup v2 subtree (" + String.join(", ", controllers) + "), and "
                        + why
                        + ": run jsing in a delegated scope (systemd-run --user --scope) or ask the site to delegate"
                        + " one (README: Resource limits)");
    }

    private static Path delegatedV1(Hierarchies.Hierarchy h, int uid) {
        String ctl = String.join(",", h.controllers());
        for (Path a = h.own(); a != null && a.startsWith(h.mount()); a = a.getParent()) {
            if (owner(a) != uid) {
                break;
            }
            if (Files.isWritable(a) && Files.isWritable(a.resolve("cgroup.procs"))) {
                return a;
            }
        }
        throw new JsingException(
                ExitCodes.ISOLATION_UNAVAILABLE,
                "resource limits need a delegated cgroup (" + ctl + " is on cgroup v1 here), and your cgroup "
                        + rel(h, h.own()) + " in " + h.mount() + " is not yours: ask the site to delegate one"
                        + " (README: Resource limits)");
    }

    /** Hands {@code controllers} to the children of {@code parent} (cgroup v2), those it does not hand yet. */
    private static void enable(Path parent, List<String> controllers) {
        List<String> on =
                List.of(read(parent.resolve("cgroup.subtree_control")).trim().split("\\s+"));
        StringBuilder add = new StringBuilder();
        for (String c : controllers) {
            if (!on.contains(c)) {
                add.append(add.length() == 0 ? "" : " ").append('+').append(c);
            }
        }
        if (add.length() > 0) {
            try {
                writeFile(parent.resolve("cgroup.subtree_control"), add.toString());
            } catch (IOException e) {
                throw new JsingException(
                        ExitCodes.ISOLATION_UNAVAILABLE,
                        "cannot enable " + add + " in " + parent + "/cgroup.subtree_control: " + reason(e)
                                + " (a cgroup with processes of its own cannot hand controllers to children)");
            }
        }
    }

    /** {@code parent/jsing-PID}, after removing empty ones of dead processes (a launch killed before its exec). */
    private static Path make(Path parent, long pid, List<Path> created) {
        sweep(parent);
        Path dir = parent.resolve("jsing-" + pid);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.ISOLATION_UNAVAILABLE, "cannot create cgroup " + dir + ": " + reason(e));
        }
        created.add(dir);
        return dir;
    }

    private static void sweep(Path parent) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "jsing-[0-9]*")) {
            for (Path d : ds) {
                String n = d.getFileName().toString().substring(6);
                if (n.chars().allMatch(Character::isDigit)
                        && !Files.exists(Path.of("/proc", n))
                        && read(d.resolve("cgroup.procs")).isEmpty()) {
                    Files.deleteIfExists(d);
                }
            }
        } catch (IOException e) {
            // a leftover stays until a later launch can remove it
        }
    }

    /** cgroup v1 cpusets start empty, and no process may join an empty one: the parent's sets unless given. */
    private static void inheritCpuset(Path parent, Path dir, Limits l) {
        try {
            if (l.cpusetCpus() == null) {
                writeFile(
                        dir.resolve("cpuset.cpus"),
                        read(parent.resolve("cpuset.cpus")).trim());
            }
            if (l.cpusetMems() == null) {
                writeFile(
                        dir.resolve("cpuset.mems"),
                        read(parent.resolve("cpuset.mems")).trim());
            }
        } catch (IOException e) {
            throw new JsingException(ExitCodes.ISOLATION_UNAVAILABLE, "cannot set up cpuset " + dir + ": " + reason(e));
        }
    }

    private static void write(Path dir, List<CgroupFiles.Write> writes) {
        for (CgroupFiles.Write w : writes) {
            Path f = dir.resolve(w.file());
            if (!Files.exists(f)) {
                throw new JsingException(
                        ExitCodes.ISOLATION_UNAVAILABLE,
                        w.option() + ": this kernel's cgroup has no " + w.file() + " (in " + dir + ")");
            }
            try {
                writeFile(f, w.value());
            } catch (IOException e) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        w.option() + ": the kernel refused " + w.file() + " = " + w.value() + ": " + reason(e));
            }
        }
    }

    private static void writeFile(Path f, String value) throws IOException {
        try (OutputStream o = Files.newOutputStream(f, StandardOpenOption.WRITE)) {
            o.write(value.getBytes(StandardCharsets.US_ASCII)); // one write(2): the kernel parses it whole
        }
    }

    private static void remove(List<Path> dirs) {
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                // the starter's watcher never ran; a later launch sweeps it
            }
        }
    }

    private static int owner(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static String missing(List<String> want, List<String> have) {
        List<String> m = new ArrayList<>(want);
        m.removeAll(have);
        return String.join(", ", m);
    }

    private static String rel(Hierarchies.Hierarchy h, Path p) {
        String r = h.mount().relativize(p).toString();
        return "/" + r;
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            m = fse.getReason();
        }
        return m;
    }
}
