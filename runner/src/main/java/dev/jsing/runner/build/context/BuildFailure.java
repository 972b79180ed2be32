package dev.jsing.runner.build.context;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;

/** A build step failed: one line naming the stage, the step and, for scripts, the last traced command. */
public final class BuildFailure extends JsingException {
    private static final long serialVersionUID = 1L;

    public BuildFailure(String message) {
        super(ExitCodes.BUILD_FAILED, message);
    }

    public BuildFailure(String message, Throwable cause) {
        super(ExitCodes.BUILD_FAILED, message, cause);
    }
}
