package dev.jsing.runner;

import dev.jsing.runner.cli.JsingCommand;

/** Entry point of the {@code jsing} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(JsingCommand.run(args));
  }
}
