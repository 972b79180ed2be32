package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing inspect}: Show an image's metadata. (Not implemented yet.) */
@Command(name = "inspect", description = "Show an image's metadata.")
public final class InspectCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'inspect' is not implemented yet");
  }
}
