package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing deffile}: Parse a definition file and show what was understood. (Not implemented yet.) */
@Command(name = "deffile", description = "Parse a definition file and show what was understood.")
public final class DeffileCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'deffile' is not implemented yet");
  }
}
