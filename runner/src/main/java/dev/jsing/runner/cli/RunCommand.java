package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.ActionOptions;
import dev.jsing.runner.launch.Launcher;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jsing run}: Run the image's runscript. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the image's runscript.")
public final class RunCommand implements Callable<Integer> {
  @Mixin public ActionOptions options = new ActionOptions();

  @Parameters(index = "0", paramLabel = "IMAGE", description = "SIF file, squashfs file or sandbox directory.")
  String image;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARG", description = "Arguments.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return Launcher.launch(options.toRequest("run", image, args), new PrintWriter(System.err, true));
  }
}
