package dev.jsing.runner.testing;

/** The outcome of a finished command: exit status and captured output. */
public record Result(int exitCode, String stdout, String stderr) {
    /** For assertion messages. */
    public String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
