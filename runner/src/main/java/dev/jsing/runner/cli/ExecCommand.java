package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing exec}: Run a command inside a container. (Not implemented yet.) */
@Command(name = "exec", description = "Run a command inside a container.")
public final class ExecCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'exec' is not implemented yet");
  }
}
