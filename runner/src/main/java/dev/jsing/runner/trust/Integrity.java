package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifFormatException;
import dev.jsing.sif.integrity.IntegrityException;
import java.nio.file.Path;

/** Maps the library's failures to jsing's exit codes. */
final class Integrity {
    private Integrity() {}

    static JsingException failure(IntegrityException e) {
        int code = e.kind() == IntegrityException.Kind.INVALID_REQUEST ? ExitCodes.USAGE : ExitCodes.VERIFY_FAILED;
        return new JsingException(code, e.getMessage(), e);
    }

    static JsingException failure(Path image, SifException e) {
        if (e instanceof SifFormatException) {
            return new JsingException(ExitCodes.BAD_IMAGE, e.getMessage(), e);
        }
        return new JsingException(ExitCodes.USAGE, e.getMessage(), e);
    }
}
