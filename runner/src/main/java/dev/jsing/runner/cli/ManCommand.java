package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionHelp;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsing man DIR}: writes a man page per command ({@code jsing.1}, {@code jsing-exec.1}, {@code jsing-cache-clean.1},
 * ...) from the same text as {@code --help}, for {@code scripts/install.sh} to put under {@code share/man/man1}.
 */
@Command(name = "man", hidden = true, description = "Write the man pages (one per command) into DIR.")
public final class ManCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> page : pages(JsingCommand.tree()).entrySet()) {
                Files.writeString(dir.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "cannot write man pages to " + dir + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }

    /** File name to troff text, for the tree and every (visible) command in it. */
    static Map<String, String> pages(CommandLine tree) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        add(tree, List.of(), out);
        return out;
    }

    private static void add(CommandLine cl, List<String> path, Map<String, String> out) {
        String name = path.isEmpty() ? "jsing" : "jsing-" + String.join("-", path);
        Action action = path.size() == 1 ? Action.named(path.get(0)) : null;
        String help = action != null ? ActionHelp.render(action) : cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String summary = action != null
                ? action.description()
                : String.join(" ", cl.getCommandSpec().usageMessage().description());
        out.put(name + ".1", page(name, summary, help));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().usageMessage().hidden()) {
                List<String> p = new ArrayList<>(path);
                p.add(sub.getKey());
                add(sub.getValue(), p, out);
            }
        }
    }

    private static String page(String name, String summary, String help) {
        StringBuilder sb = new StringBuilder();
        sb.append(".TH ")
                .append(name.toUpperCase(java.util.Locale.ROOT))
                .append(" 1 \"\" \"jsing ")
                .append(VersionProvider.jsingVersion())
                .append("\" \"jsing manual\"\n");
        sb.append(".SH NAME\n")
                .append(name.replace("-", "\\-"))
                .append(" \\- ")
                .append(escape(summary))
                .append('\n');
        sb.append(".SH DESCRIPTION\n.nf\n");
        for (String line : help.split("\n", -1)) {
            sb.append(escape(line)).append('\n');
        }
        sb.append(".fi\n");
        return sb.toString();
    }

    /** Text as troff shows it literally: backslashes doubled, a leading dot or quote guarded. */
    static String escape(String s) {
        String t = s.replace("\\", "\\e");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
