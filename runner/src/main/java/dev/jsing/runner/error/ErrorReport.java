package dev.jsing.runner.error;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * The one mapping from a failure to what the user sees and the exit code, for every command: a {@link JsingException}
 * is its own line and code; a {@link UsageException} adds where to read the usage; an I/O error is
 * {@link ExitCodes#IO_ERROR}; anything else is a bug ({@link ExitCodes#INTERNAL}). A stack trace only with
 * {@code --debug}.
 */
public final class ErrorReport {
  private ErrorReport() {}

  /** Writes the line(s) for {@code ex} to {@code err} and returns the exit code. */
  public static int report(Throwable ex, boolean debug, PrintWriter err) {
    if (debug) {
      ex.printStackTrace(err);
    }
    int code;
    if (ex instanceof UsageException u) {
      err.println("jsing: " + u.getMessage());
      err.println("Run '" + u.command() + " --help' for usage.");
      code = ExitCodes.USAGE;
    } else if (ex instanceof JsingException j) {
      err.println("jsing: error: " + j.getMessage());
      code = j.exitCode();
    } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
      Throwable io = ex instanceof UncheckedIOException ? ex.getCause() : ex;
      err.println("jsing: error: " + describeIo(io));
      code = ExitCodes.IO_ERROR;
    } else {
      err.println("jsing: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
      code = ExitCodes.INTERNAL;
    }
    err.flush();
    return code;
  }

  private static String describeIo(Throwable io) {
    if (io instanceof NoSuchFileException) {
      return io.getMessage() + ": no such file or directory";
    }
    if (io instanceof AccessDeniedException) {
      return io.getMessage() + ": permission denied";
    }
    return String.valueOf(io.getMessage());
  }
}
