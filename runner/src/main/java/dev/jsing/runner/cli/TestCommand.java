package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing test}: Run the image's test script. (Not implemented yet.) */
@Command(name = "test", description = "Run the image's test script.")
public final class TestCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'test' is not implemented yet");
  }
}
