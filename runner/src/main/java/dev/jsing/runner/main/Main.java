package dev.jsing.runner.main;

import dev.jsing.runner.cli.ExecCommand;
import dev.jsing.runner.cli.JsingCommand;
import dev.jsing.runner.cli.RunCommand;
import dev.jsing.runner.cli.ShellCommand;
import dev.jsing.runner.cli.TestCommand;
import dev.jsing.runner.cli.action.ActionMain;

/**
 * Entry point of the {@code jsing} command. The container actions take a lean path that builds only their own
 * command model (startup time is paid once per launch, per MPI rank); everything else goes through the full tree.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int i = ActionMain.actionIndex(args);
    if (i >= 0) {
      switch (args[i]) {
        case "exec":
          ExecCommand e = new ExecCommand();
          System.exit(ActionMain.run(args, i, e, e.options));
          break;
        case "run":
          RunCommand r = new RunCommand();
          System.exit(ActionMain.run(args, i, r, r.options));
          break;
        case "shell":
          ShellCommand s = new ShellCommand();
          System.exit(ActionMain.run(args, i, s, s.options));
          break;
        default:
          TestCommand t = new TestCommand();
          System.exit(ActionMain.run(args, i, t, t.options));
      }
    }
    System.exit(JsingCommand.run(args));
  }
}
