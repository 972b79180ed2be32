package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing run-help}: Show an image's help text. (Not implemented yet.) */
@Command(name = "run-help", description = "Show an image's help text.")
public final class RunHelpCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'run-help' is not implemented yet");
  }
}
