package dev.jsing.runner.cli.action;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * The lean entry for the container actions ({@code exec run shell test}): builds the picocli model of that one
 * command only (not the whole {@code jsing} tree), stops option parsing at the first positional (so {@code jsing exec
 * img ls -la} passes {@code -la} on), and maps failures to one line and an exit code.
 */
public final class ActionMain {
  private static final Set<String> ACTIONS = Set.of("exec", "run", "shell", "test");

  private ActionMain() {}

  /** The index of the action name in {@code args} when it is one of ours (after global flags), else -1. */
  public static int actionIndex(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-d") || a.equals("--debug") || a.equals("-q") || a.equals("--quiet")) {
        continue;
      }
      return ACTIONS.contains(a) ? i : -1;
    }
    return -1;
  }

  /** Runs the action at {@code args[index]} with the following arguments. */
  public static int run(String[] args, int index, Callable<Integer> command, ActionOptions options) {
    PrintWriter err = new PrintWriter(System.err, true);
    boolean debug = false;
    for (int i = 0; i < index; i++) {
      debug |= args[i].equals("-d") || args[i].equals("--debug");
    }
    options.debug(debug);
    final boolean dbg = debug;
    String[] rest = Arrays.copyOfRange(args, index + 1, args.length);
    dev.jsing.runner.launch.LaunchRequest lean = LeanActionParser.parse(args[index], rest, debug);
    if (lean != null) {
      try {
        return dev.jsing.runner.launch.Launcher.launch(lean, err);
      } catch (RuntimeException e) {
        return report(e, debug, err);
      }
    }
    CommandLine cl = new CommandLine(command);
    cl.setStopAtPositional(true);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("jsing: " + ex.getMessage());
          err.println("Run 'jsing " + args[index] + " --help' for usage.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler((ex, c, p) -> report(ex, dbg, err));
    return cl.execute(rest);
  }

  /** One line for a failure; a stack trace only with --debug. */
  public static int report(Throwable ex, boolean debug, PrintWriter err) {
    if (debug) {
      ex.printStackTrace(err);
    }
    if (ex instanceof JsingException) {
      err.println("jsing: error: " + ex.getMessage());
      return ((JsingException) ex).exitCode();
    }
    if (ex instanceof java.io.UncheckedIOException) {
      err.println("jsing: error: " + ex.getCause().getMessage());
      return ExitCodes.IO_ERROR;
    }
    err.println("jsing: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
    return ExitCodes.INTERNAL;
  }
}
