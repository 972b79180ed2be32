package dev.jsing.runner.error;

import dev.jsing.deffile.DefinitionException;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one mapping from a failure to what the user sees and the exit code, for every command: a {@link JsingException}
 * is its own line and code; a {@link UsageException} adds where to read the usage; a SIF library failure is mapped by
 * {@link #sif}; a definition file error is {@link ExitCodes#BAD_DEFINITION}; an I/O error is
 * {@link ExitCodes#IO_ERROR} (an I/O failure on a command's input file is mapped by {@link #inputFile} where the
 * command knows the file); anything else is a bug ({@link ExitCodes#INTERNAL}). A stack trace only with
 * {@code --debug}.
 */
public final class ErrorReport {
    private ErrorReport() {}

    /** Writes the line(s) for {@code ex} to {@code err} and returns the exit code. */
    public static int report(Throwable ex, boolean debug, PrintWriter err) {
        if (debug) {
            ex.printStackTrace(err);
        }
        int code;
        if (ex instanceof UsageException u) {
            err.println("jsing: " + u.getMessage());
            err.println("Run '" + u.command() + " --help' for usage.");
            code = ExitCodes.USAGE;
        } else if (ex instanceof JsingException j) {
            err.println("jsing: error: " + j.getMessage());
            code = j.exitCode();
        } else if (ex instanceof SifException s) {
            JsingException j = sif(s);
            err.println("jsing: error: " + j.getMessage());
            code = j.exitCode();
        } else if (ex instanceof DefinitionException d) {
            err.println("jsing: error: " + d.getMessage());
            code = ExitCodes.BAD_DEFINITION;
        } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            Throwable io = ex instanceof UncheckedIOException ? ex.getCause() : ex;
            err.println("jsing: error: " + describeIo(io));
            code = ExitCodes.IO_ERROR;
        } else {
            err.println("jsing: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
            code = ExitCodes.INTERNAL;
        }
        err.flush();
        return code;
    }

    /** The exit code and one-line message for a SIF library failure. */
    public static JsingException sif(SifException e) {
        if (e instanceof SifFormatException) {
            return new JsingException(ExitCodes.BAD_IMAGE, e.getMessage(), e);
        }
        switch (e.reason()) {
            case OBJECT_NOT_FOUND:
                return new JsingException(ExitCodes.NOT_FOUND, e.getMessage(), e);
            case NO_FREE_DESCRIPTOR:
                return new JsingException(ExitCodes.CANT_CREATE, e.getMessage(), e);
            default:
                return new JsingException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /**
     * The exit code and one-line message for an I/O failure on {@code file}, the input a command names: missing or
     * unreadable is {@link ExitCodes#NOT_FOUND}, anything else {@link ExitCodes#IO_ERROR}.
     */
    public static JsingException inputFile(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": no such file or directory", e);
        }
        if (e instanceof AccessDeniedException) {
            return new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": permission denied", e);
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return new JsingException(ExitCodes.IO_ERROR, fse.getFile() + ": " + fse.getReason(), e);
        }
        return new JsingException(ExitCodes.IO_ERROR, file + ": " + e.getMessage(), e);
    }

    private static String describeIo(Throwable io) {
        if (io instanceof NoSuchFileException) {
            return io.getMessage() + ": no such file or directory";
        }
        if (io instanceof AccessDeniedException) {
            return io.getMessage() + ": permission denied";
        }
        return String.valueOf(io.getMessage());
    }
}
