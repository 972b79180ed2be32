package dev.jsing.runner.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The container's {@code /etc/passwd} and {@code /etc/group}, generated as Apptainer does (reference §3.1, §6): the
 * image's entries are kept; the caller's passwd line is rewritten in place (name, gecos, home from the host; gid and
 * shell from the image; uid 0 keeps the image's name) or appended; the caller is added to the group lines of their
 * primary and supplementary gids (appended when the image has no group with that gid).
 */
public final class PasswdFiles {
    private PasswdFiles() {}

    /** The passwd file for the container, {@code image} being the image's file (null when it has none). */
    public static String passwd(String image, HostContext host, String homeDst) {
        StringBuilder out = new StringBuilder();
        boolean found = false;
        if (image != null) {
            for (String line : lines(image)) {
                String[] f = line.split(":", -1);
                if (!found && f.length >= 7 && f[2].equals(String.valueOf(host.uid()))) {
                    found = true;
                    String name = host.uid() == 0 ? f[0] : host.user();
                    line = String.join(":", name, f[1], f[2], f[3], host.gecos(), homeDst, f[6]);
                }
                out.append(line).append('\n');
            }
        }
        if (!found) {
            out.append(String.join(
                            ":",
                            host.user(),
                            "x",
                            String.valueOf(host.uid()),
                            String.valueOf(host.gid()),
                            host.gecos(),
                            homeDst,
                            containerShell(host.shell())))
                    .append('\n');
        }
        return out.toString();
    }

    private static String containerShell(String hostShell) {
        return hostShell == null || hostShell.isEmpty() ? "/bin/sh" : hostShell;
    }

    /**
     * The group file for the container. {@code hostGroups} maps the host's gids to names (for the caller's primary
     * and supplementary gids).
     */
    public static String group(String image, HostContext host, Map<Integer, String> hostGroups) {
        Set<Integer> mine = new LinkedHashSet<>();
        mine.add(host.gid());
        mine.addAll(host.groups());
        List<String> lines = image == null ? new ArrayList<>() : new ArrayList<>(lines(image));
        Set<Integer> present = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(":", -1);
            if (f.length < 4) {
                continue;
            }
            int gid;
            try {
                gid = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!mine.contains(gid) || present.contains(gid)) {
                continue;
            }
            present.add(gid);
            List<String> members = f[3].isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(f[3].split(",")));
            if (gid != host.gid() && !members.contains(host.user())) {
                members.add(host.user());
                lines.set(i, String.join(":", f[0], f[1], f[2], String.join(",", members)));
            }
        }
        for (int gid : mine) {
            if (present.contains(gid)) {
                continue;
            }
            String name = hostGroups.get(gid);
            if (name == null) {
                if (gid != host.gid()) {
                    continue;
                }
                name = host.user();
            }
            lines.add(name + ":x:" + gid + ":" + host.user());
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    /** The host's group names for the given gids, from {@code /etc/group}. */
    public static Map<Integer, String> hostGroupNames(Path groupFile, Set<Integer> gids) {
        return hostGroupNames(readOrEmpty(groupFile), gids);
    }

    /** The host's group names for the given gids, from the lines of a group file. */
    static Map<Integer, String> hostGroupNames(List<String> groupLines, Set<Integer> gids) {
        Map<Integer, String> out = new TreeMap<>();
        for (String line : groupLines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try {
                    int g = Integer.parseInt(f[2]);
                    if (gids.contains(g)) {
                        out.putIfAbsent(g, f[0]);
                    }
                } catch (NumberFormatException e) {
                    // not a group line
                }
            }
        }
        return out;
    }

    /** The passwd fields of {@code uid} in {@code passwdFile}, or null. */
    public static String[] lookupUid(Path passwdFile, int uid) {
        return dev.jsing.runner.host.CallerIdentity.passwdEntry(passwdFile, uid);
    }

    private static List<String> readOrEmpty(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            out.add(l);
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
