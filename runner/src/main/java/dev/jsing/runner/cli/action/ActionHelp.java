package dev.jsing.runner.cli.action;

import java.util.ArrayList;
import java.util.List;

/** {@code jsing ACTION --help}, rendered from the {@link ActionOption} table. */
public final class ActionHelp {
    private ActionHelp() {}

    /** The help text of {@code action}. */
    public static String render(Action action) {
        return render(action, "jsing " + action.command(), action.synopsis(), action.description());
    }

    /**
     * The help text of a command that takes {@code action}'s options ({@code jsing instance start}), with its own usage
     * line and description.
     */
    public static String render(Action action, String command, String synopsis, String description) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ")
                .append(command)
                .append(" [OPTIONS] ")
                .append(synopsis)
                .append('\n');
        sb.append(description).append("\n\nOptions:\n");
        List<String[]> rows = new ArrayList<>();
        for (ActionOption o : ActionOption.values()) {
            if (!o.appliesTo(action)) {
                continue;
            }
            rows.add(new String[] {left(o), o.help() + env(o)});
        }
        rows.add(new String[] {"-h, --help", "Show this help message and exit."});
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        for (String[] r : rows) {
            sb.append("  ").append(r[0]);
            sb.append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
        }
        sb.append(
                        "\nEnvironment keys are read as JSING_KEY, APPTAINER_KEY or SINGULARITY_KEY (in that order); the command")
                .append(" line wins, except for bind and mount lists, which the environment extends.\n");
        return sb.toString();
    }

    private static String left(ActionOption o) {
        List<String> shorts = new ArrayList<>();
        List<String> longs = new ArrayList<>();
        for (String n : o.names()) {
            (n.startsWith("--") ? longs : shorts).add(n);
        }
        StringBuilder sb = new StringBuilder();
        for (String s : shorts) {
            sb.append(s).append(", ");
        }
        sb.append(String.join(", ", longs));
        if (o.paramLabel() != null) {
            sb.append('=').append(o.paramLabel());
        }
        return sb.toString();
    }

    private static String env(ActionOption o) {
        if (o.envKeys().isEmpty()) {
            return "";
        }
        return " [env: " + String.join(", ", o.envKeys()) + "]";
    }
}
