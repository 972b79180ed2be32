package dev.jsing.runner.build;

import dev.jsing.common.fs.RootedPath;
import dev.jsing.common.fs.RootedPathException;
import dev.jsing.deffile.FileEntry;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.build.context.BuildFailure;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * %files: copies host paths (relative to the build's working directory) or paths of an earlier stage ({@code from
 * <stage>}) into the root, as {@code cp -fLr} does in Apptainer. Sources may be globs ({@code *}, {@code ?},
 * {@code [..]} within a component, {@code **} across directories); an empty destination means the source's path.
 * Parent directories are created.
 *
 * <p>Symlinks already in the image never lead the copy out to the host (the copy runs on the host, as root or in a
 * user namespace). The destination is resolved inside the root with chroot semantics ({@link RootedPath}): a symlink
 * among its components, or at the destination itself, is followed as if the root were {@code /} (absolute targets
 * restart at the root; climbing above it fails the build), missing directories are created on the resolved path, and
 * a file that lands on an existing symlink replaces the link ({@code --remove-destination}) instead of writing
 * through it. Host sources are the user's own files and keep Apptainer's semantics (symlinks dereferenced on the
 * host). Sources {@code from <stage>} are resolved inside that stage's root the same way (globs do not descend
 * through symlinks) and copied with {@code cp -P}: symlinks inside them, and a final link whose target does not exist
 * in the stage, are copied as links, since their targets only make sense inside a root.
 */
public final class FilesStep {
    private FilesStep() {}

    /** Copies {@code entries} into {@code root}; {@code label} names the step in errors. */
    public static void copy(List<FileEntry> entries, Path root, BuildContext ctx, String label) throws IOException {
        try {
            copyAll(entries, root, ctx, label);
        } catch (RootedPathException e) {
            throw new BuildFailure(e.getMessage(), e);
        }
    }

    private static void copyAll(List<FileEntry> entries, Path root, BuildContext ctx, String label) throws IOException {
        for (FileEntry e : entries) {
            boolean host = e.isFromHost();
            Path base = host
                    ? Path.of("").toAbsolutePath()
                    : ctx.stageRoot(e.sourceStage()).toRealPath();
            List<Path> srcs = host ? expand(base, e.src()) : expandStage(base, e.src(), label);
            if (srcs.isEmpty()) {
                throw new BuildFailure(label + ": no such file or directory: '" + e.src() + "'"
                        + (host ? "" : " in stage '" + e.sourceStage() + "'"));
            }
            String dstName = e.dst().isEmpty() ? e.src() : e.dst();
            if (e.dst().isEmpty() && hasGlob(e.src())) {
                // each match goes to its own path
                for (Path s : srcs) {
                    String rel = host ? s.toString() : "/" + base.relativize(s);
                    cp(List.of(s), root, rel, ctx, label, false, host);
                }
                continue;
            }
            cp(srcs, root, dstName, ctx, label, srcs.size() > 1 || dstName.endsWith("/"), host);
        }
    }

    /** Copies {@code srcs} to {@code dstName} (a path inside {@code root}), resolved inside the root. */
    private static void cp(
            List<Path> srcs, Path root, String dstName, BuildContext ctx, String label, boolean intoDir, boolean host)
            throws IOException {
        String inRoot = "/" + root.relativize(SingularityLayout.inRoot(root, dstName));
        RootedPath.Resolved r = RootedPath.resolve(root, inRoot, RootedPath.AboveRoot.REFUSE, label);
        Path dst = r.path();
        Path mkdir = intoDir ? dst : r.exists() ? null : r.parent();
        if (mkdir != null && !Files.isDirectory(mkdir, LinkOption.NOFOLLOW_LINKS)) {
            // every missing component is a plain name below a real directory inside the root
            List<String> mk = new ArrayList<>(List.of("mkdir", "-p", "--", mkdir.toString()));
            ctx.runAsRoot(label + ": mkdir " + dstName, mk, null, false);
        }
        List<String> argv = new ArrayList<>(List.of("cp", host ? "-fLr" : "-fPr", "--remove-destination", "--"));
        srcs.forEach(s -> argv.add(s.toString()));
        argv.add(dst.toString());
        ctx.runAsRoot(
                label + ": copying " + srcs.get(0) + (srcs.size() > 1 ? " (+" + (srcs.size() - 1) + ")" : ""),
                argv,
                null,
                false);
    }

    static boolean hasGlob(String s) {
        return s.contains("*") || s.contains("?") || s.contains("[");
    }

    /**
     * Matches of {@code pattern} inside the stage root {@code base} (a real path), resolved inside it: the literal
     * prefix follows symlinks only inside the root, the globbed part does not descend through symlinks, and a literal
     * final symlink is followed inside the root when its target exists there (otherwise the link itself).
     */
    static List<Path> expandStage(Path base, String pattern, String label) throws IOException {
        String abs = "/" + base.relativize(SingularityLayout.inRoot(base, pattern));
        if (!hasGlob(pattern)) {
            RootedPath.Resolved r = RootedPath.resolve(base, abs, RootedPath.AboveRoot.REFUSE, label);
            if (r.exists()) {
                return List.of(r.path());
            }
            RootedPath.Resolved link = RootedPath.resolveParent(base, abs, RootedPath.AboveRoot.REFUSE, label);
            return link.exists() ? List.of(link.path()) : List.of();
        }
        List<String> parts = new ArrayList<>(List.of(abs.substring(1).split("/")));
        int i = 0;
        while (i < parts.size() && !hasGlob(parts.get(i))) {
            i++;
        }
        RootedPath.Resolved r = RootedPath.resolve(
                base, "/" + String.join("/", parts.subList(0, i)), RootedPath.AboveRoot.REFUSE, label);
        Path dir = r.path();
        if (!r.exists() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        return globUnder(dir, parts.subList(i, parts.size()));
    }

    /** Matches of the host pattern {@code pattern}, relative to {@code base} unless absolute. */
    static List<Path> expand(Path base, String pattern) throws IOException {
        Path abs = base.resolve(pattern).normalize();
        if (!hasGlob(pattern)) {
            return Files.exists(abs) ? List.of(abs) : List.of();
        }
        Path dir = abs.getRoot();
        List<String> parts = new ArrayList<>();
        abs.forEach(c -> parts.add(c.toString()));
        int i = 0;
        while (i < parts.size() && !hasGlob(parts.get(i))) {
            dir = dir.resolve(parts.get(i++));
        }
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return globUnder(dir, parts.subList(i, parts.size()));
    }

    /**
     * Entries under {@code dir} whose path relative to it matches the glob made of {@code parts} ({@code **} spans
     * directories), sorted. Files.walk does not follow symlinks: a linked directory is a match, never descended into.
     */
    private static List<Path> globUnder(Path dir, List<String> parts) throws IOException {
        String rest = String.join("/", parts);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.size();
        String glob = rest.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}");
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(p -> !p.equals(dir) && m.matches(dir.relativize(p)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
