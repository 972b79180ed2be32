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
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a shell completion script (bash, zsh or fish).")
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish")
    String shell;

    @Override
    public Integer call() {
        String script = switch (shell) {
            case "bash" -> bash();
            case "zsh" -> zsh();
            case "fish" -> fish();
            default ->
                throw new UsageException("jsing completion", "unsupported shell '" + shell + "' (bash, zsh or fish)");
        };
        spec.commandLine().getOut().print(script);
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

    /** zsh: the bash script through zsh's bash-completion emulation. */
    public static String zsh() {
        return "#compdef jsing\n# zsh completion for jsing (jsing completion zsh > ~/.zfunc/_jsing)\n"
                + "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }\n"
                + "autoload -U +X bashcompinit && bashcompinit\n" + bash();
    }

    /** fish: sub-command names, then each action's options (long, short, whether they take a value). */
    public static String fish() {
        StringBuilder sb = new StringBuilder("# fish completion for jsing (jsing completion fish > "
                + "~/.config/fish/completions/jsing.fish)\ncomplete -c jsing -f\n");
        for (String c : JsingCommand.tree().getSubcommands().keySet()) {
            sb.append("complete -c jsing -n __fish_use_subcommand -a ")
                    .append(c)
                    .append('\n');
        }
        for (ActionOption o : ActionOption.values()) {
            StringBuilder actions = new StringBuilder();
            for (Action a : Action.values()) {
                if (o.appliesTo(a)) {
                    actions.append(' ').append(a.command());
                }
            }
            sb.append("complete -c jsing -n '__fish_seen_subcommand_from")
                    .append(actions)
                    .append('\'');
            for (String n : o.names()) {
                sb.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
            }
            if (o.kind() != ActionOption.Kind.FLAG) {
                sb.append(" -r -F");
            }
            sb.append(" -d ")
                    .append(dev.jsing.runner.launch.ContainerEnvironment.quote(o.help()))
                    .append('\n');
        }
        return sb.toString();
    }
}
