package dev.jsing.runner.error;

/**
 * A bad command line ({@link ExitCodes#USAGE}): the message says what is wrong, and {@link ErrorReport} adds where to
 * read the usage of {@link #command()}.
 */
public final class UsageException extends JsingException {
    private static final long serialVersionUID = 1L;
    private final String command;

    /** {@code command} is the command's qualified name, e.g. {@code jsing exec}. */
    public UsageException(String command, String message) {
        super(ExitCodes.USAGE, message);
        this.command = command;
    }

    public String command() {
        return command;
    }
}
