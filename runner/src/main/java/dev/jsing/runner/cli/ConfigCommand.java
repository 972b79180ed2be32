package dev.jsing.runner.cli;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jsing config}: Show jsing's effective configuration. (Not implemented yet.) */
@Command(name = "config", description = "Show jsing's effective configuration.")
public final class ConfigCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JsingException(ExitCodes.UNAVAILABLE, "'config' is not implemented yet");
  }
}
