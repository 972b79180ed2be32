package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing run}: Run the image's runscript. (Not implemented yet.) */
@Command(name = "run", description = "Run the image's runscript.")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'run' is not implemented yet");
  }
}
