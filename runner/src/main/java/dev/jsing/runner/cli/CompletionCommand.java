package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionOption;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing completion bash}: a bash completion script, its action options taken from the option table. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = "Print a shell completion script (bash).")
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new UsageException("jsing completion", "unsupported shell '" + shell + "' (only bash)");
        }
        spec.commandLine().getOut().print(bash());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The script: sub-command names, then each action's options, then file names. */
    public static String bash() {
        CommandLine tree = JsingCommand.tree();
        List<String> commands = new ArrayList<>(tree.getSubcommands().keySet());
        List<String> options = new ArrayList<>();
        for (ActionOption o : ActionOption.values()) {
            options.addAll(o.names());
        }
        options.add("--help");
        StringBuilder actions = new StringBuilder();
        for (Action a : Action.values()) {
            actions.append(actions.length() == 0 ? "" : "|").append(a.command());
        }
        return "# bash completion for jsing (jsing completion bash > /etc/bash_completion.d/jsing)\n"
                + "_jsing() {\n"
                + "  local cur=${COMP_WORDS[COMP_CWORD]}\n"
                + "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
                + "    COMPREPLY=($(compgen -W '" + String.join(" ", commands) + "' -- \"$cur\")); return\n"
                + "  fi\n"
                + "  case ${COMP_WORDS[1]} in\n"
                + "    " + actions + ")\n"
                + "      if [[ $cur == -* ]]; then\n"
                + "        COMPREPLY=($(compgen -W '" + String.join(" ", options) + "' -- \"$cur\")); return\n"
                + "      fi ;;\n"
                + "  esac\n"
                + "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                + "}\n"
                + "complete -o filenames -F _jsing jsing\n";
    }
}
