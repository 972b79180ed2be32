package dev.jsing.sif;

import java.nio.file.Path;

/**
 * The file is not a valid SIF image: truncated, wrong magic or version, absurd descriptor count, descriptors or objects
 * past the end of the file, overlapping objects. The message is one line: {@code <file>: <problem>}.
 */
public final class SifFormatException extends SifException {
    private static final long serialVersionUID = 1L;

    public SifFormatException(Path file, String problem) {
        super(file, Reason.MALFORMED, problem);
    }
}
