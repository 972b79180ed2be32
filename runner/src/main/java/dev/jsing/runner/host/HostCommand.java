package dev.jsing.runner.host;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs a build helper (debootstrap, mksquashfs, cp, a script in the container) as a child process of the build. Its
 * output goes to the build's stderr as it comes (unless quiet); the last lines are kept for the error message, and
 * the last {@code sh -x} trace line is remembered so a failing script can be named by its line.
 */
public final class HostCommand {
  /** The outcome: exit status, last output lines, last {@code + } trace line (or null). */
  public record Outcome(int exitCode, List<String> tail, String lastTrace) {
    public String lastLine() {
      return tail.isEmpty() ? "" : tail.get(tail.size() - 1);
    }
  }

  private HostCommand() {}

  /**
   * Runs {@code argv} with exactly {@code env} (null: inherited) in {@code cwd} (null: inherited), stdin from
   * /dev/null. {@code echo} prints the output (stdout and stderr merged) to {@code out}.
   */
  public static Outcome run(List<String> argv, Map<String, String> env, File cwd, boolean echo, PrintWriter out) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    if (cwd != null) {
      pb.directory(cwd);
    }
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Deque<String> tail = new ArrayDeque<>();
    String trace = null;
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Outcome(127, List.of(argv.get(0) + ": " + e.getMessage()), null);
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (echo) {
          out.println(line);
          out.flush();
        }
        if (line.startsWith("+ ") || line.startsWith("++ ")) {
          trace = line;
        }
        tail.addLast(line);
        if (tail.size() > 20) {
          tail.removeFirst();
        }
      }
    } catch (IOException e) {
      tail.addLast("<" + e.getMessage() + ">");
    }
    int rc;
    while (true) {
      try {
        rc = p.waitFor();
        break;
      } catch (InterruptedException e) {
        p.destroy();
      }
    }
    return new Outcome(rc, List.copyOf(tail), trace);
  }
}
