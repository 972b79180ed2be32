package dev.jsing.runner.error;

/**
 * A failure to report to the user as one line, with one of the {@link ExitCodes}. Its message is the whole line the
 * user sees (after "jsing: error: "), so it names the file and the problem.
 */
public class JsingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public JsingException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public JsingException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
