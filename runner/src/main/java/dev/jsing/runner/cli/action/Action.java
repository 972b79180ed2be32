package dev.jsing.runner.cli.action;

/** The container actions: one parser, help and launch path for all four (they differ only in these fields). */
public enum Action {
    EXEC("exec", "Run a command inside a container.", "IMAGE COMMAND [ARG...]", true),
    RUN("run", "Run the image's runscript.", "IMAGE [ARG...]", false),
    SHELL("shell", "Start an interactive shell in a container.", "IMAGE", false),
    TEST("test", "Run the image's test script.", "IMAGE [ARG...]", false);

    private final String command;
    private final String description;
    private final String synopsis;
    private final boolean needsCommand;

    Action(String command, String description, String synopsis, boolean needsCommand) {
        this.command = command;
        this.description = description;
        this.synopsis = synopsis;
        this.needsCommand = needsCommand;
    }

    /** The sub-command name ({@code exec}). */
    public String command() {
        return command;
    }

    public String description() {
        return description;
    }

    /** The positional part of the usage line. */
    public String synopsis() {
        return synopsis;
    }

    /** {@code exec} needs a command after the image. */
    public boolean needsCommand() {
        return needsCommand;
    }

    /** The action called {@code name}, or null. */
    public static Action named(String name) {
        for (Action a : values()) {
            if (a.command.equals(name)) {
                return a;
            }
        }
        return null;
    }
}
