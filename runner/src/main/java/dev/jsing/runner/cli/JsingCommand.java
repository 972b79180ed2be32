package dev.jsing.runner.cli;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code jsing} command. Subcommands only parse arguments and delegate to the libraries; every failure
 * becomes one line on stderr and an exit code from {@link ExitCodes} (a stack trace only with {@code --debug}).
 */
@Command(
    name = "jsing",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A setuid-free container runner for HPC clusters.",
    subcommands = {
      ExecCommand.class,
      RunCommand.class,
      ShellCommand.class,
      TestCommand.class,
      InspectCommand.class,
      RunHelpCommand.class,
      BuildCommand.class,
      DeffileCommand.class,
      SifCommand.class,
      ConfigCommand.class,
      PullCommand.class,
      PushCommand.class,
      CacheCommand.class,
    })
public final class JsingCommand implements Runnable {
  @Option(
      names = {"-d", "--debug"},
      description = "Show stack traces and debug output.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only print errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean quiet;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing subcommand");
  }

  /** Parses {@code args}, runs the subcommand and returns the process exit code. */
  public static int run(String[] args) {
    return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /** As {@link #run(String[])}, writing to the given streams (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = Arrays.asList(args).contains("--debug") || Arrays.asList(args).contains("-d");
    CommandLine cl = new CommandLine(new JsingCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setStopAtPositional(false);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("jsing: " + ex.getMessage());
          err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> report(ex, debug, err));
    return cl.execute(args);
  }

  /** Turns any failure into one line on {@code err} and an exit code. */
  static int report(Throwable ex, boolean debug, PrintWriter err) {
    if (debug) {
      ex.printStackTrace(err);
    }
    if (ex instanceof JsingException) {
      err.println("jsing: error: " + ex.getMessage());
      return ((JsingException) ex).exitCode();
    }
    if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
      Throwable io = ex instanceof java.io.UncheckedIOException ? ex.getCause() : ex;
      err.println("jsing: error: " + describeIo(io));
      return ExitCodes.IO_ERROR;
    }
    err.println("jsing: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
    return ExitCodes.INTERNAL;
  }

  private static String describeIo(Throwable io) {
    if (io instanceof java.nio.file.NoSuchFileException) {
      return io.getMessage() + ": no such file or directory";
    }
    if (io instanceof java.nio.file.AccessDeniedException) {
      return io.getMessage() + ": permission denied";
    }
    return String.valueOf(io.getMessage());
  }
}
