package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing shell}: Start an interactive shell in a container. (Not implemented yet.) */
@Command(name = "shell", description = "Start an interactive shell in a container.")
public final class ShellCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'shell' is not implemented yet");
  }
}
