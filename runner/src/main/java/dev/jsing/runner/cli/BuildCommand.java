package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing build}: Build a SIF image or sandbox from a definition file. (Not implemented yet.) */
@Command(name = "build", description = "Build a SIF image or sandbox from a definition file.")
public final class BuildCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'build' is not implemented yet");
  }
}
