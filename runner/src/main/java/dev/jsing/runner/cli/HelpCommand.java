package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionHelp;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.UsageException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing help [COMMAND [SUBCOMMAND]]}: the same text as {@code jsing COMMAND --help}. */
@Command(name = "help", description = "Show the help of a command.")
public final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Action action = command.size() == 1 ? Action.named(command.get(0)) : null;
        if (action != null) {
            out.print(ActionHelp.render(action));
        } else {
            CommandLine target = spec.commandLine().getParent();
            for (String name : command) {
                CommandLine sub = target.getSubcommands().get(name);
                if (sub == null) {
                    throw new UsageException("jsing help", "unknown command '" + String.join(" ", command) + "'");
                }
                target = sub;
            }
            target.usage(out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
