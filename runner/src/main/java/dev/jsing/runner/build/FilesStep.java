package dev.jsing.runner.build;

import dev.jsing.deffile.FileEntry;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
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
 */
public final class FilesStep {
  private FilesStep() {}

  /** Copies {@code entries} into {@code root}; {@code label} names the step in errors. */
  public static void copy(List<FileEntry> entries, Path root, BuildContext ctx, String label) throws IOException {
    for (FileEntry e : entries) {
      Path base = e.isFromHost() ? Path.of("").toAbsolutePath() : ctx.stageRoot(e.sourceStage());
      List<Path> srcs = expand(base, e.src(), !e.isFromHost());
      if (srcs.isEmpty()) {
        throw new BuildFailure(label + ": no such file or directory: '" + e.src() + "'"
            + (e.isFromHost() ? "" : " in stage '" + e.sourceStage() + "'"));
      }
      String dstName = e.dst().isEmpty() ? e.src() : e.dst();
      if (e.dst().isEmpty() && hasGlob(e.src())) {
        // each match goes to its own path
        for (Path s : srcs) {
          String rel = e.isFromHost() ? s.toString() : "/" + base.relativize(s);
          cp(List.of(s), SingularityLayout.inRoot(root, rel), ctx, label, false);
        }
        continue;
      }
      Path dst = SingularityLayout.inRoot(root, dstName);
      cp(srcs, dst, ctx, label, srcs.size() > 1 || dstName.endsWith("/"));
    }
  }

  private static void cp(List<Path> srcs, Path dst, BuildContext ctx, String label, boolean intoDir) {
    List<String> mk = new ArrayList<>(List.of("mkdir", "-p", "--", intoDir ? dst.toString() : dst.getParent().toString()));
    ctx.runAsRoot(label + ": mkdir " + dst, mk, null, false);
    List<String> argv = new ArrayList<>(List.of("cp", "-fLr", "--"));
    srcs.forEach(s -> argv.add(s.toString()));
    argv.add(dst.toString());
    ctx.runAsRoot(label + ": copying " + srcs.get(0) + (srcs.size() > 1 ? " (+" + (srcs.size() - 1) + ")" : ""), argv, null, false);
  }

  static boolean hasGlob(String s) {
    return s.contains("*") || s.contains("?") || s.contains("[");
  }

  /** Matches of {@code pattern} under {@code base} (absolute patterns are absolute, or inside a stage root). */
  static List<Path> expand(Path base, String pattern, boolean inStage) throws IOException {
    Path abs = inStage ? SingularityLayout.inRoot(base, pattern) : base.resolve(pattern).normalize();
    if (!hasGlob(pattern)) {
      return Files.exists(abs) ? List.of(abs) : List.of();
    }
    Path dir = abs.getRoot();
    int i = 0;
    for (; i < abs.getNameCount(); i++) {
      String c = abs.getName(i).toString();
      if (hasGlob(c)) {
        break;
      }
      dir = dir.resolve(c);
    }
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    boolean deep = abs.toString().contains("**");
    int depth = deep ? Integer.MAX_VALUE : abs.getNameCount() - i;
    String glob = abs.toString().replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}");
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> s = Files.walk(dir, depth)) {
      return s.filter(p -> !p.equals(abs) && m.matches(p)).sorted().collect(Collectors.toList());
    }
  }
}
